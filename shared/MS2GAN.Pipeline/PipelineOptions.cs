using MS2GAN.Features.Onnx;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Pipeline;

/// <summary>Where a service keeps its data and which model it serves (configuration section "Pipeline").</summary>
public sealed class PipelineOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Pipeline";

    /// <summary>Folder of the embedded stores: items.db, media/, vectors/.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Model folder (written by `ms2gan train`) served when the model registry has no active model yet (the first start);
    /// afterwards the registry's active model is served. Optional: without it a new pipeline runs without a model until
    /// the first retrain trains one.
    /// </summary>
    public string? ModelDirectory { get; set; }

    /// <summary>The model registry folder (versions, stages, the reindex in progress); default {DataDirectory}/models.</summary>
    public string? ModelRegistry { get; set; }

    /// <summary>The registry folder in effect.</summary>
    public string RegistryDirectory => string.IsNullOrWhiteSpace(ModelRegistry) ? Path.Combine(DataDirectory, "models") : ModelRegistry;

    /// <summary>The embedded vector store (default) or Elasticsearch (section "Elasticsearch").</summary>
    public VectorStoreKind Store { get; set; } = VectorStoreKind.Embedded;

    /// <summary>SQLite (default) or the Elasticsearch items index (section "Elasticsearch").</summary>
    public ItemStoreKind ItemStore { get; set; } = ItemStoreKind.Sqlite;

    /// <summary>Exact search (default) or HNSW for large corpora in the embedded vector store.</summary>
    public VectorSearchMode VectorSearch { get; set; } = VectorSearchMode.Exact;

    /// <summary>ONNX Runtime execution provider preference for the encoders and backbones.</summary>
    public ExecutionPreference OnnxProvider { get; set; } = ExecutionPreference.Auto;

    /// <summary>The problems with these settings, in words.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            yield return "Pipeline:DataDirectory must name a folder";
        }
    }
}
