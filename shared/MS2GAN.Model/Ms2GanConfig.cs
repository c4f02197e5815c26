using System.Text.Json;
using System.Text.Json.Serialization;

namespace MS2GAN.Model;

/// <summary>
/// Every size, loss weight and optimiser setting of MS2GAN. Defaults were chosen on the validation split
/// of the Wikipedia benchmark (see README, "Choosing the defaults"); a JSON file and command-line flags
/// override them.
/// </summary>
public sealed record Ms2GanConfig
{
    /// <summary>Hidden widths of each modality-specific sub-network (base features to S).</summary>
    public int[] SpecificHidden { get; init; } = [512];

    /// <summary>Width of the specific features S_I and S_T.</summary>
    public int SpecificDim { get; init; } = 128;

    /// <summary>Hidden widths of the common sub-network (S to C), one set of weights for both modalities.</summary>
    public int[] CommonHidden { get; init; } = [128];

    /// <summary>Width of the shared features C_I and C_T.</summary>
    public int SharedDim { get; init; } = 128;

    /// <summary>Hidden width of the modality discriminator.</summary>
    public int DiscriminatorHidden { get; init; } = 64;

    /// <summary>Activation between hidden layers: relu, leaky_relu, tanh or sigmoid.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Dropout on hidden layers while training.</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>Weight of label prediction (cross-entropy on S and C).</summary>
    public double LabelWeight { get; init; } = 0.5;

    /// <summary>Weight of the inter-modal (image-text) label-similarity loss.</summary>
    public double InterWeight { get; init; } = 2.0;

    /// <summary>Weight of the intra-modal (image-image, text-text) label-similarity loss.</summary>
    public double IntraWeight { get; init; } = 0.5;

    /// <summary>Weight of the specific-vs-shared difference (orthogonality) loss.</summary>
    public double DifferenceWeight { get; init; } = 0.1;

    /// <summary>Weight of the adversarial loss the generator pays when the discriminator tells the modality.</summary>
    public double AdversarialWeight { get; init; } = 0.05;

    /// <summary>Scale applied to cosine similarities inside the similarity loss (a sharper logistic).</summary>
    public double SimilarityScale { get; init; } = 10.0;

    /// <summary>Adam learning rate of the generator (specific, common and classifier networks).</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Adam learning rate of the discriminator.</summary>
    public double DiscriminatorLearningRate { get; init; } = 5e-4;

    /// <summary>L2 weight decay of both optimisers.</summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>Pairs per mini-batch.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Training epochs; the epoch with the best validation mAP is kept.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Stop when validation mAP has not improved for this many epochs (0: never).</summary>
    public int Patience { get; init; } = 0;

    /// <summary>Seed for the validation split, initialisation, shuffling and dropout.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Fraction of the training split held out (per class) for validation and model selection.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>Input normalisation fitted on the training split: standardize or none.</summary>
    public string Normalization { get; init; } = "standardize";

    /// <summary>CPU threads used by TorchSharp (0: all cores).</summary>
    public int Threads { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Serialises the configuration as indented camelCase JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a configuration file; fields it leaves out keep their defaults.</summary>
    /// <exception cref="ConfigException">The file is missing, not JSON, names an unknown field or holds an invalid value.</exception>
    public static Ms2GanConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"{path}: configuration file not found");
        }
        Ms2GanConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<Ms2GanConfig>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"{path}: not a valid configuration ({ex.Message})");
        }
        if (config is null)
        {
            throw new ConfigException($"{path}: the configuration is empty");
        }
        var problems = config.Validate();
        if (problems.Count > 0)
        {
            throw new ConfigException($"{path}: {string.Join("; ", problems)}");
        }
        return config;
    }

    /// <summary>
    /// This configuration with the fields of <paramref name="json"/> (a JSON object, camelCase fields) put over it; the
    /// fields not named keep their values. Not an object, an unknown field or a value of the wrong type throws
    /// <see cref="ConfigException"/> naming it.
    /// </summary>
    public Ms2GanConfig Overlay(string json)
    {
        System.Text.Json.Nodes.JsonObject overrides;
        try
        {
            overrides = System.Text.Json.Nodes.JsonNode.Parse(json) as System.Text.Json.Nodes.JsonObject
                ?? throw new ConfigException("the configuration overrides must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"the configuration overrides are not valid JSON: {ex.Message}");
        }
        var merged = System.Text.Json.Nodes.JsonNode.Parse(ToJson())!.AsObject();
        foreach (var (name, value) in overrides)
        {
            merged[name] = value?.DeepClone();
        }
        try
        {
            return FromJson(merged.ToJsonString());
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"the configuration overrides do not fit the configuration: {ex.Message}");
        }
    }

    /// <summary>Parses configuration JSON (as stored in a model manifest).</summary>
    public static Ms2GanConfig FromJson(string json) =>
        JsonSerializer.Deserialize<Ms2GanConfig>(json, JsonOptions) ?? throw new ConfigException("the configuration is empty");

    /// <summary>Every problem with the values, in words; empty when the configuration is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Positive(string name, double value)
        {
            if (!(value > 0))
            {
                problems.Add($"{name} must be positive (got {value})");
            }
        }
        void NonNegative(string name, double value)
        {
            if (!(value >= 0) || double.IsInfinity(value))
            {
                problems.Add($"{name} must be zero or positive (got {value})");
            }
        }
        Positive("specificDim", SpecificDim);
        Positive("sharedDim", SharedDim);
        Positive("discriminatorHidden", DiscriminatorHidden);
        foreach (var h in SpecificHidden.Concat(CommonHidden))
        {
            Positive("hidden layer width", h);
        }
        if (Dropout is < 0 or >= 1)
        {
            problems.Add($"dropout must be in [0, 1) (got {Dropout})");
        }
        NonNegative("labelWeight", LabelWeight);
        NonNegative("interWeight", InterWeight);
        NonNegative("intraWeight", IntraWeight);
        NonNegative("differenceWeight", DifferenceWeight);
        NonNegative("adversarialWeight", AdversarialWeight);
        Positive("similarityScale", SimilarityScale);
        Positive("learningRate", LearningRate);
        Positive("discriminatorLearningRate", DiscriminatorLearningRate);
        NonNegative("weightDecay", WeightDecay);
        Positive("batchSize", BatchSize);
        Positive("epochs", Epochs);
        NonNegative("patience", Patience);
        NonNegative("threads", Threads);
        if (ValidationFraction is <= 0 or >= 0.9)
        {
            problems.Add($"validationFraction must be in (0, 0.9) (got {ValidationFraction})");
        }
        if (Normalization is not ("standardize" or "none"))
        {
            problems.Add($"normalization must be standardize or none (got {Normalization})");
        }
        if (Activation is not ("relu" or "leaky_relu" or "tanh" or "sigmoid"))
        {
            problems.Add($"activation must be relu, leaky_relu, tanh or sigmoid (got {Activation})");
        }
        return problems;
    }
}
