namespace MS2GAN.Storage.Vectors;

/// <summary>How <see cref="EmbeddedVectorStore"/> answers searches.</summary>
public enum VectorSearchMode
{
    /// <summary>Exact brute-force scan (SIMD dot products); always correct, linear in the index size.</summary>
    Exact,

    /// <summary>
    /// An HNSW graph (USearch) for indexes of at least <see cref="EmbeddedVectorStoreOptions.HnswThreshold"/> records;
    /// exact scan below the threshold, while the graph catches up, and when a filter is too selective.
    /// </summary>
    Hnsw,
}
