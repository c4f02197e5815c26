using Xunit;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using MS2GAN.Storage.Vectors;
using MS2GAN.Storage.Vectors.Elasticsearch;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.TestSupport;

/// <summary>
/// The server named by ELASTICSEARCH_URL (user:password in the URL become basic authentication). Each instance uses
/// its own index prefix and template, and deletes what it created on dispose.
/// </summary>
public sealed class LiveElasticsearch : IAsyncDisposable
{
    public const string Variable = "ELASTICSEARCH_URL";
    public const string Why = "the Elasticsearch conformance suite runs against a live server (docker compose up -d elasticsearch)";

    private readonly string _prefix = $"ms2gan-test-{Guid.NewGuid():N}"[..24] + "-";
    private readonly List<ElasticsearchVectorStore> _stores = [];

    public ElasticsearchVectorStoreOptions Options(ElasticsearchSearchMode mode) => new()
    {
        IndexPrefix = _prefix,
        TemplateName = _prefix + "template",
        Mode = mode,
        // Conformance counts right after writes; production keeps the default (no forced refresh).
        Refresh = ElasticsearchRefresh.WaitFor,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        DefinitionCacheTtl = TimeSpan.Zero,
    };

    public static ElasticsearchClient Client()
    {
        var url = new Uri(NeedsEnvironmentVariableAttribute.Value(Variable)
            ?? throw new InvalidOperationException($"{Variable} is not set"));
        var settings = new ElasticsearchClientSettings(new Uri(url.GetLeftPart(UriPartial.Path)));
        if (url.UserInfo.Split(':', 2) is [var user, var password])
        {
            settings = settings.Authentication(new BasicAuthentication(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password)));
        }

        return new ElasticsearchClient(settings);
    }

    public ElasticsearchVectorStore Store(ElasticsearchSearchMode mode)
    {
        var store = new ElasticsearchVectorStore(Client(), Options(mode));
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    /// <summary>Makes every write visible to searches and counts.</summary>
    public static async Task RefreshAsync(ElasticsearchVectorStoreOptions options, string indexOrAlias)
    {
        var response = await Client().Transport.RequestAsync<StringResponse>(
            Elastic.Transport.HttpMethod.POST, $"/{options.IndexPrefix}{indexOrAlias}/_refresh", CancellationToken.None);
        Assert.True(response.ApiCallDetails.HasSuccessfulStatusCode, response.ApiCallDetails.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (NeedsEnvironmentVariableAttribute.Value(Variable) is null)
        {
            return;
        }

        var store = new ElasticsearchVectorStore(Client(), Options(ElasticsearchSearchMode.Exact));
        foreach (var index in await store.ListIndexesAsync())
        {
            await store.DeleteIndexAsync(index.Name);
        }

        await Client().Transport.RequestAsync<StringResponse>(
            Elastic.Transport.HttpMethod.DELETE, $"/_index_template/{_prefix}template", CancellationToken.None);
    }
}
