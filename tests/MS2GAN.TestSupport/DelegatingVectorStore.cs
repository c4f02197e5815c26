using MS2GAN.Storage.Vectors;

namespace MS2GAN.TestSupport;

/// <summary>A real vector store passed through; fault-injecting test stores override the calls they break.</summary>
public abstract class DelegatingVectorStore(IVectorStore inner) : IVectorStore
{
    protected IVectorStore Inner => inner;

    public virtual Task UpsertAsync(string indexOrAlias, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default) =>
        inner.UpsertAsync(indexOrAlias, records, cancellationToken);

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
