using MS2GAN.Storage.Vectors;
using MS2GAN.Storage.Vectors.Elasticsearch;

namespace MS2GAN.Storage.Tests.Vectors.Elasticsearch;

/// <summary>
/// The conformance suite against the live server of <see cref="LiveElasticsearch"/> in one search mode: searchable after
/// a refresh, reopened as a new client over the same server, fresh index names per test.
/// </summary>
public abstract class ElasticsearchConformanceTests(ElasticsearchSearchMode mode) : VectorStoreConformanceTests, IAsyncLifetime
{
    private protected LiveElasticsearch Server { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();

    protected override Task<IVectorStore> CreateStoreAsync() => Task.FromResult<IVectorStore>(Server.Store(mode));

    protected override Task<IVectorStore> ReopenStoreAsync(IVectorStore store) => Task.FromResult<IVectorStore>(Server.Store(mode));

    protected override Task WaitUntilSearchableAsync(IVectorStore store, string indexOrAlias) =>
        LiveElasticsearch.RefreshAsync(Server.Options(mode), indexOrAlias);

    protected override string NewIndexName() => $"idx-{Guid.NewGuid():N}";
}
