using MS2GAN.Storage.Vectors;

namespace MS2GAN.Search.Tests;

/// <summary>
/// Fault injection over a real store: writes every record except those of one item and then reports that item as
/// refused for good, the way a server store does when a bulk write partly fails after its retries.
/// </summary>
public sealed class RefusingVectorStore(IVectorStore inner, string refusedItemId) : IVectorStore
{
    public const string Reason = "HTTP 400 mapper_parsing_exception: injected by the test";

    public async Task UpsertAsync(string indexOrAlias, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        await inner.UpsertAsync(indexOrAlias, [.. records.Where(r => r.ItemId != refusedItemId)], cancellationToken);
        if (records.Any(r => r.ItemId == refusedItemId))
        {
            throw new VectorWriteException($"1 item refused by '{indexOrAlias}'", new Dictionary<string, string> { [refusedItemId] = Reason });
        }
    }

    public Task CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default) => inner.CreateIndexAsync(definition, cancellationToken);

    public Task<bool> DeleteIndexAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteIndexAsync(name, cancellationToken);

    public Task<IReadOnlyList<IndexDefinition>> ListIndexesAsync(CancellationToken cancellationToken = default) => inner.ListIndexesAsync(cancellationToken);

    public Task<IndexDefinition?> GetIndexAsync(string indexOrAlias, CancellationToken cancellationToken = default) => inner.GetIndexAsync(indexOrAlias, cancellationToken);

    public Task<int> DeleteItemAsync(string indexOrAlias, string itemId, CancellationToken cancellationToken = default) => inner.DeleteItemAsync(indexOrAlias, itemId, cancellationToken);

    public Task<IReadOnlyList<VectorHit>> SearchAsync(string indexOrAlias, VectorQuery query, CancellationToken cancellationToken = default) => inner.SearchAsync(indexOrAlias, query, cancellationToken);

    public Task<long> CountAsync(string indexOrAlias, CancellationToken cancellationToken = default) => inner.CountAsync(indexOrAlias, cancellationToken);

    public Task SetAliasAsync(string alias, string indexName, CancellationToken cancellationToken = default) => inner.SetAliasAsync(alias, indexName, cancellationToken);

    public Task<string?> GetAliasAsync(string alias, CancellationToken cancellationToken = default) => inner.GetAliasAsync(alias, cancellationToken);
}
