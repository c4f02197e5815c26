using Microsoft.Extensions.Logging;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Model.Inference;

/// <summary>
/// The model the services encode with, and the vector index it writes. Items and queries are encoded with
/// this model only; its index holds vectors of this model only, so one answer never mixes versions.
/// </summary>
public sealed class ActiveModel : IDisposable
{
    /// <summary>The alias searches read through; it points at the index of the active model.</summary>
    public const string Alias = "items";

    private ActiveModel(Ms2GanModel model) => Model = model;

    /// <summary>The loaded model.</summary>
    public Ms2GanModel Model { get; }

    /// <summary>The model's version id.</summary>
    public string Version => Model.Manifest.Version;

    /// <summary>The physical vector index of this model version.</summary>
    public string IndexName => IndexNameFor(Version);

    /// <summary>Index name for a model version (lower case, as Elasticsearch requires).</summary>
    public static string IndexNameFor(string version) => $"items-{version}".ToLowerInvariant();

    /// <summary>Opens the model folder.</summary>
    public static ActiveModel Open(string directory, OnnxSessionFactory sessions, ILoggerFactory? loggers = null) =>
        new(Ms2GanModel.Open(directory, sessions, loggers));

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
