using Microsoft.Extensions.Logging;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Model.Inference;

/// <summary>
/// One loaded model version and the vector index that holds its vectors. Items and queries of one answer are
/// encoded by one version only, and that version's index holds vectors of that version only, so one answer
/// never mixes versions.
/// </summary>
public sealed class ServedModel : IDisposable
{
    private ServedModel(Ms2GanModel model) => Model = model;

    /// <summary>The loaded model.</summary>
    public Ms2GanModel Model { get; }

    /// <summary>The model's version id.</summary>
    public string Version => Model.Manifest.Version;

    /// <summary>The physical vector index of this model version.</summary>
    public string IndexName => IndexNameFor(Version);

    /// <summary>Index name for a model version (lower case, as Elasticsearch requires).</summary>
    public static string IndexNameFor(string version) => $"items-{version}".ToLowerInvariant();

    /// <summary>Opens the model folder.</summary>
    public static ServedModel Open(string directory, OnnxSessionFactory sessions, ILoggerFactory? loggers = null) =>
        new(Ms2GanModel.Open(directory, sessions, loggers));

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
