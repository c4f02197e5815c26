namespace MS2GAN.Storage.Vectors;

/// <summary>Options of <see cref="EmbeddedVectorStore"/>.</summary>
public sealed record EmbeddedVectorStoreOptions
{
    /// <summary>Folder holding one subfolder per index and the alias file. Created when missing.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Exact scan (default) or HNSW for large indexes.</summary>
    public VectorSearchMode Mode { get; init; } = VectorSearchMode.Exact;

    /// <summary>In <see cref="VectorSearchMode.Hnsw"/> mode, indexes with fewer records are scanned exactly.</summary>
    public int HnswThreshold { get; init; } = 50_000;

    /// <summary>HNSW graph degree (M) of each modality's graph.</summary>
    public int HnswConnectivity { get; init; } = 16;

    /// <summary>HNSW candidate list size while inserting (efConstruction); applied to a graph reopened from its file too.</summary>
    public int HnswExpansionAdd { get; init; } = 128;

    /// <summary>
    /// HNSW candidate list size while searching (ef): each graph search asks for at least this many candidates, which
    /// the exact re-score then orders; queries that need more widen it. The default is the smallest measured value
    /// with recall@10 >= 0.95 in every direction on real model vectors at 100,000 items (tests/MS2GAN.Benchmarks,
    /// <c>hnsw</c>: 0.985 text to image, 0.986 image to text, 0.995 any). Applied to a graph reopened from its file too
    /// (USearch does not keep it in the file; the C# wrapper left a reopened graph at its default of 64).
    /// </summary>
    public int HnswExpansionSearch { get; init; } = 128;

    /// <summary>Threads that add vectors to a graph at once (graph builds, bulk upserts, reindexing); null: one per core.</summary>
    public int? HnswBuildThreads { get; init; }

    /// <summary>
    /// Keep the graphs' vectors as int8 (scalar-quantized, a quarter of float32) and rescore the candidates exactly
    /// from the float32 rows. Applies to graphs built from now on; a graph reopened from its file keeps its own kind.
    /// </summary>
    public bool HnswInt8 { get; init; }

    /// <summary>
    /// A query whose labels or metadata match less than this share of the target modality's records is answered by an
    /// exact scan of the matching rows instead of a filtered graph search (where the filter rejects most of the graph).
    /// </summary>
    public double HnswFilterExactBelow { get; init; } = 0.02;

    /// <summary>The write-ahead log is compacted into a snapshot once it grows past this many bytes.</summary>
    public long CompactAfterLogBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Checks the values and throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(RootDirectory))
        {
            throw new ArgumentException("RootDirectory is required.", nameof(RootDirectory));
        }

        if (HnswThreshold < 0)
        {
            throw new ArgumentException("HnswThreshold must be >= 0.", nameof(HnswThreshold));
        }

        if (HnswConnectivity < 2 || HnswExpansionAdd < 1 || HnswExpansionSearch < 1)
        {
            throw new ArgumentException("HnswConnectivity must be >= 2 and the expansions >= 1.", nameof(HnswConnectivity));
        }

        if (HnswBuildThreads is < 1)
        {
            throw new ArgumentException("HnswBuildThreads must be >= 1 when set.", nameof(HnswBuildThreads));
        }

        if (HnswFilterExactBelow is < 0 or > 1)
        {
            throw new ArgumentException("HnswFilterExactBelow must be between 0 and 1.", nameof(HnswFilterExactBelow));
        }

        if (CompactAfterLogBytes < 1)
        {
            throw new ArgumentException("CompactAfterLogBytes must be positive.", nameof(CompactAfterLogBytes));
        }
    }
}
