using System.Text.Json;
using System.Text.Json.Serialization;
using MS2GAN.Model.Evaluation;
using MS2GAN.Model.Training;

namespace MS2GAN.Model.Artifacts;

/// <summary>
/// manifest.json of a model folder: the version, the feature space, the input normalisation (also baked
/// into the ONNX encoders), the configuration, the default retrieval weights chosen on validation, metrics
/// and the files with their hashes.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>File name of the manifest inside a model folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Manifest layout version.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Unique model version id (UTC time and a hash of the weights).</summary>
    public required string Version { get; init; }

    /// <summary>When the model was written.</summary>
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>The base features the model expects.</summary>
    public required FeatureSpace FeatureSpace { get; init; }

    /// <summary>Number of label classes.</summary>
    public required int ClassCount { get; init; }

    /// <summary>Class names when the dataset gave them.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Image input normalisation fitted on the training split.</summary>
    public required FeatureNormalizer ImageNormalization { get; init; }

    /// <summary>Text input normalisation fitted on the training split.</summary>
    public required FeatureNormalizer TextNormalization { get; init; }

    /// <summary>Width of the specific vectors.</summary>
    public required int SpecificDim { get; init; }

    /// <summary>Width of the shared vectors.</summary>
    public required int SharedDim { get; init; }

    /// <summary>Default query-time weights of specific and shared similarity, chosen on validation.</summary>
    public required RetrievalWeights DefaultWeights { get; init; }

    /// <summary>The full training configuration.</summary>
    public required Ms2GanConfig Config { get; init; }

    /// <summary>Validation and test metrics.</summary>
    public required ModelMetrics Metrics { get; init; }

    /// <summary>Training data and run facts.</summary>
    public required TrainingInfo Training { get; init; }

    /// <summary>The folder's files by role: imageEncoder, textEncoder, checkpoint, curves.</summary>
    public required IReadOnlyDictionary<string, ModelFile> Files { get; init; }

    /// <summary>JSON options of manifests and of the command line's --json output.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The manifest as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}
