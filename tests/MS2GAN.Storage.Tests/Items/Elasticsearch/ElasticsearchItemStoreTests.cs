using Elastic.Transport;
using MS2GAN.Storage.Elasticsearch;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Items.Elasticsearch;

using MS2GAN.TestSupport;

namespace MS2GAN.Storage.Tests.Items.Elasticsearch;

/// <summary>
/// The item store conformance suite against the items index of a live Elasticsearch (ELASTICSEARCH_URL), in an index
/// and template of this test's own, deleted afterwards. Skipped, saying why, when the variable is unset.
/// </summary>
[NeedsEnvironmentVariable(LiveElasticsearch.Variable, LiveElasticsearch.Why)]
public sealed class ElasticsearchItemStoreTests : ItemStoreConformanceTests, IAsyncLifetime
{
    private readonly string _name = $"ms2gan-test-items-{Guid.NewGuid():N}"[..30];
    private ElasticsearchItemStore? _store;

    protected override IItemStore Store => _store ??= new ElasticsearchItemStore(
        LiveElasticsearch.Client(),
        new ElasticsearchItemStoreOptions
        {
            IndexName = _name,
            TemplateName = _name,
            // Counts and listings right after writes; production keeps the default (no forced refresh).
            Refresh = ElasticsearchRefresh.Immediate,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        },
        timeProvider: Clock);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (NeedsEnvironmentVariableAttribute.Value(LiveElasticsearch.Variable) is null)
        {
            return;
        }

        var transport = LiveElasticsearch.Client().Transport;
        await transport.RequestAsync<StringResponse>(Elastic.Transport.HttpMethod.DELETE, $"/{_name}", CancellationToken.None);
        await transport.RequestAsync<StringResponse>(Elastic.Transport.HttpMethod.DELETE, $"/_index_template/{_name}", CancellationToken.None);
    }
}
