using System.Text.RegularExpressions;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Vectors.Elasticsearch;

/// <summary>Options of <see cref="ElasticsearchVectorStore"/>.</summary>
public sealed partial record ElasticsearchVectorStoreOptions
{
    /// <summary>The dense_vector <c>index_options</c> types Elasticsearch 9 accepts.</summary>
    public static readonly IReadOnlySet<string> IndexOptionsTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "hnsw", "int8_hnsw", "int4_hnsw", "bbq_hnsw", "flat", "int8_flat", "int4_flat", "bbq_flat",
    };

    /// <summary>
    /// Prefix of every Elasticsearch index and alias this store manages: vector index <c>v1</c> is the Elasticsearch
    /// index <c>{IndexPrefix}v1</c>. The index template matches <c>{IndexPrefix}*</c>.
    /// </summary>
    public string IndexPrefix { get; init; } = "ms2gan-vectors-";

    /// <summary>Name of the composable index template applied at start-up.</summary>
    public string TemplateName { get; init; } = "ms2gan-vectors";

    /// <summary>Approximate kNN (default, for large corpora) or exact brute force.</summary>
    public ElasticsearchSearchMode Mode { get; init; } = ElasticsearchSearchMode.Knn;

    /// <summary>dense_vector <c>index_options.type</c>; <c>int8_hnsw</c> keeps a quarter of the float memory in the graph.</summary>
    public string IndexOptionsType { get; init; } = "int8_hnsw";

    /// <summary>HNSW graph degree (<c>m</c>), for the <c>*_hnsw</c> types.</summary>
    public int HnswM { get; init; } = 16;

    /// <summary>HNSW candidate list size while indexing (<c>ef_construction</c>), for the <c>*_hnsw</c> types.</summary>
    public int HnswEfConstruction { get; init; } = 100;

    /// <summary>
    /// Candidates per shard of each field's kNN search (<c>num_candidates</c>); raised to <c>Offset + K</c> when a
    /// query asks for more.
    /// </summary>
    public int NumCandidates { get; init; } = 100;

    /// <summary>Records per <c>_bulk</c> request.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Refresh policy of writes (upserts and deletes).</summary>
    public ElasticsearchRefresh Refresh { get; init; } = ElasticsearchRefresh.None;

    /// <summary>Retries of a request answered 429 or 5xx (or not answered), and of bulk items answered so.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First back-off delay; later ones grow exponentially, with jitter, up to 30 seconds.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long an index definition (dims) read from the server is reused before it is read again.</summary>
    public TimeSpan DefinitionCacheTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether <see cref="IndexOptionsType"/> builds an HNSW graph (and so takes <c>m</c> and <c>ef_construction</c>).</summary>
    public bool IsHnsw => IndexOptionsType.EndsWith("_hnsw", StringComparison.Ordinal) || IndexOptionsType == "hnsw";

    /// <summary>Checks the values and throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (IndexPrefix is null || !PrefixPattern().IsMatch(IndexPrefix))
        {
            throw new ArgumentException(
                "IndexPrefix must be 1..50 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.", nameof(IndexPrefix));
        }

        if (TemplateName is null || !PrefixPattern().IsMatch(TemplateName))
        {
            throw new ArgumentException("TemplateName must be 1..50 lower-case letters, digits, '.', '_' or '-'.", nameof(TemplateName));
        }

        if (IndexOptionsType is null || !IndexOptionsTypes.Contains(IndexOptionsType))
        {
            throw new ArgumentException(
                $"IndexOptionsType must be one of {string.Join(", ", IndexOptionsTypes.Order(StringComparer.Ordinal))}.", nameof(IndexOptionsType));
        }

        if (HnswM is < 2 or > 512)
        {
            throw new ArgumentException("HnswM must be 2..512.", nameof(HnswM));
        }

        if (HnswEfConstruction is < 1 or > 3200)
        {
            throw new ArgumentException("HnswEfConstruction must be 1..3200.", nameof(HnswEfConstruction));
        }

        if (NumCandidates is < 1 or > 10_000)
        {
            throw new ArgumentException("NumCandidates must be 1..10,000.", nameof(NumCandidates));
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException("BatchSize must be >= 1.", nameof(BatchSize));
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentException("MaxRetries must be >= 0.", nameof(MaxRetries));
        }

        if (RetryBaseDelay < TimeSpan.Zero || DefinitionCacheTtl < TimeSpan.Zero)
        {
            throw new ArgumentException("RetryBaseDelay and DefinitionCacheTtl must not be negative.", nameof(RetryBaseDelay));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,49}$")]
    private static partial Regex PrefixPattern();
}
