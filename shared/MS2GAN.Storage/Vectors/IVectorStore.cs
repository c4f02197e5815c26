namespace MS2GAN.Storage.Vectors;

/// <summary>
/// Vector indexes of (specific, shared) vector pairs with query-time weighting, filters and aliases.
/// Implemented by the embedded store and by Elasticsearch; both pass the same conformance tests.
/// </summary>
public interface IVectorStore
{
    /// <summary>
    /// Creates an index. Creating an identical definition again does nothing; a different definition under an
    /// existing name throws <see cref="InvalidOperationException"/>, as does a name already used by an alias.
    /// </summary>
    Task CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Deletes an index and every alias pointing to it. Returns false when it did not exist.</summary>
    Task<bool> DeleteIndexAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>All indexes, ordered by name.</summary>
    Task<IReadOnlyList<IndexDefinition>> ListIndexesAsync(CancellationToken cancellationToken = default);

    /// <summary>The definition of an index, or of the index an alias points to; null when neither exists.</summary>
    Task<IndexDefinition?> GetIndexAsync(string indexOrAlias, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts records, replacing any record with the same (ItemId, Modality). Vectors are L2-normalised on write.
    /// Wrong dimensions, NaN/infinite values, zero vectors or an unknown modality throw <see cref="ArgumentException"/>
    /// naming the item, and nothing of the batch is written.
    /// </summary>
    Task UpsertAsync(string indexOrAlias, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Deletes both modalities of an item. Returns the number of records removed.</summary>
    Task<int> DeleteItemAsync(string indexOrAlias, string itemId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The best hits, best first; equal scores are ordered by ItemId, then Modality (ordinal) so results are
    /// deterministic. Filters are applied before the top k are taken.
    /// </summary>
    Task<IReadOnlyList<VectorHit>> SearchAsync(string indexOrAlias, VectorQuery query, CancellationToken cancellationToken = default);

    /// <summary>Number of records (an item with both modalities counts twice).</summary>
    Task<long> CountAsync(string indexOrAlias, CancellationToken cancellationToken = default);

    /// <summary>Points an alias at an index, atomically: a reader sees the old or the new index, never neither.</summary>
    Task SetAliasAsync(string alias, string indexName, CancellationToken cancellationToken = default);

    /// <summary>The index an alias points to, or null.</summary>
    Task<string?> GetAliasAsync(string alias, CancellationToken cancellationToken = default);
}
