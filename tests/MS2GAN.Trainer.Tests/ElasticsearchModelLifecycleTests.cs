
using MS2GAN.Storage.Vectors;
using MS2GAN.Storage.Vectors.Elasticsearch;

namespace MS2GAN.Trainer.Tests;

/// <summary>
/// The lifecycle suite with the vectors in a live Elasticsearch (ELASTICSEARCH_URL; exact mode, each test under its own
/// index prefix). Skipped, saying why, when the variable is unset.
/// </summary>
[Collection(LifecycleCollection.Name)]
[NeedsEnvironmentVariable(LiveElasticsearch.Variable, LiveElasticsearch.Why)]
public sealed class ElasticsearchModelLifecycleTests(TinyModelFixture model, Xunit.Abstractions.ITestOutputHelper output)
    : ModelLifecycleSuite(model, output), IAsyncLifetime
{
    private readonly LiveElasticsearch _server = new();

    protected override Func<string, IVectorStore>? VectorStore => _ => _server.Store(ElasticsearchSearchMode.Exact);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();
}
