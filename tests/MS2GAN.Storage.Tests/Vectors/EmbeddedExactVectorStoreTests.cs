using MS2GAN.Storage.Vectors;

namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>The conformance suite against the embedded store in exact mode.</summary>
public sealed class EmbeddedExactVectorStoreTests : VectorStoreConformanceTests, IDisposable
{
    private readonly EmbeddedStoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    protected override Task<IVectorStore> CreateStoreAsync() =>
        Task.FromResult<IVectorStore>(_fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root }));

    protected override Task<IVectorStore> ReopenStoreAsync(IVectorStore store) =>
        Task.FromResult<IVectorStore>(_fixture.Reopen(store));
}
