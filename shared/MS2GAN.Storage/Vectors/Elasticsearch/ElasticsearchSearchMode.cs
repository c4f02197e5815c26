namespace MS2GAN.Storage.Vectors.Elasticsearch;

/// <summary>How <see cref="ElasticsearchVectorStore"/> answers searches.</summary>
public enum ElasticsearchSearchMode
{
    /// <summary>
    /// Brute force: a <c>script_score</c> query computing the weighted sum of two <c>dotProduct</c> calls over every
    /// record that passes the filters. Same ranking as the embedded exact store; linear in the index size.
    /// </summary>
    Exact,

    /// <summary>
    /// Approximate: one <c>knn</c> query per vector field (filters applied inside the HNSW search), their candidates
    /// unioned and re-scored exactly by the same script as <see cref="Exact"/>.
    /// </summary>
    Knn,
}
