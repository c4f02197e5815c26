using MS2GAN.Storage.Vectors.Elasticsearch;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Pipeline;

/// <summary>
/// The Elasticsearch connection and vector index settings (configuration section "Elasticsearch"), used when
/// Pipeline:Store is Elasticsearch. The password or API key comes from the environment
/// (<c>Elasticsearch__Password</c>, <c>Elasticsearch__ApiKey</c>), never from a committed file.
/// </summary>
public sealed class ElasticsearchSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Elasticsearch";

    /// <summary>The cluster's URL, e.g. https://localhost:9200.</summary>
    public string? Url { get; set; }

    /// <summary>User for basic authentication (elastic by default in the compose file).</summary>
    public string? Username { get; set; }

    /// <summary>Password for basic authentication.</summary>
    public string? Password { get; set; }

    /// <summary>An API key (base64 "id:key"), used instead of user and password when set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The SHA-256 fingerprint of the cluster's CA certificate, for a self-signed https endpoint.</summary>
    public string? CertificateFingerprint { get; set; }

    /// <summary>Exact (script_score) or Knn (HNSW with exact re-scoring).</summary>
    public ElasticsearchSearchMode Mode { get; set; } = ElasticsearchSearchMode.Knn;

    /// <summary>dense_vector index_options type: int8_hnsw (default), hnsw, bbq_hnsw, int4_hnsw, flat, ...</summary>
    public string IndexOptionsType { get; set; } = "int8_hnsw";

    /// <summary>HNSW graph degree.</summary>
    public int HnswM { get; set; } = 16;

    /// <summary>HNSW candidate list size while indexing.</summary>
    public int HnswEfConstruction { get; set; } = 100;

    /// <summary>Candidates per shard a kNN search explores.</summary>
    public int NumCandidates { get; set; } = 100;

    /// <summary>Documents per bulk request.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>None (throughput), WaitFor (freshness) or Immediate (tests).</summary>
    public ElasticsearchRefresh Refresh { get; set; } = ElasticsearchRefresh.None;

    /// <summary>The store options these settings describe.</summary>
    public ElasticsearchVectorStoreOptions ToStoreOptions() => new()
    {
        Mode = Mode,
        IndexOptionsType = IndexOptionsType,
        HnswM = HnswM,
        HnswEfConstruction = HnswEfConstruction,
        NumCandidates = NumCandidates,
        BatchSize = BatchSize,
        Refresh = Refresh,
    };
}
