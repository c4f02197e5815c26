using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Integration.Tests;

/// <summary>
/// `ms2gan serve` in this process (ServeApplication, all four services, the embedded stores in a temp
/// folder) with MassTransit on RabbitMQ in the given virtual host, listening on a free local port.
/// </summary>
public sealed class PipelineHost : IAsyncDisposable
{
    public const string ApiKey = "ms2gan-integration-test-key";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly TempFolder _folder;
    private bool _disposed;

    private PipelineHost(WebApplication app, TempFolder folder, Uri baseAddress)
    {
        _app = app;
        _folder = folder;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds and starts the application; returns once the bus is connected and HTTP listens.</summary>
    /// <param name="modelDirectory">The model folder to serve.</param>
    /// <param name="broker">The RabbitMQ node.</param>
    /// <param name="virtualHost">The virtual host for this application's queues and exchanges.</param>
    /// <param name="settings">More configuration, as <c>Section:Key</c> to value (the encoder's batch size, say).</param>
    /// <param name="configureServices">Changes to the application's services (decorators for fault injection).</param>
    public static async Task<PipelineHost> StartAsync(
        string modelDirectory,
        RabbitMqBroker broker,
        string virtualHost,
        IReadOnlyDictionary<string, string>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var messaging = new Dictionary<string, string>
        {
            ["Messaging:Host"] = broker.Host,
            ["Messaging:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Messaging:VirtualHost"] = virtualHost,
            ["Messaging:Username"] = broker.Username,
            ["Messaging:Password"] = broker.Password,
        };
        var folder = new TempFolder();
        try
        {
            var (app, address) = await InProcessServe.StartAsync(folder.Path, modelDirectory, "rabbitmq", ApiKey,
                messaging.Concat(settings ?? new Dictionary<string, string>()), configureServices);
            return new PipelineHost(app, folder, address);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>POSTs the items as one NDJSON batch (each with the given metadata) and checks that every line was accepted.</summary>
    public async Task IngestAsync(IReadOnlyCollection<FeatureItem> items, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var body = new StringBuilder();
        foreach (var item in items)
        {
            body.AppendLine(JsonSerializer.Serialize(new
            {
                id = item.Id,
                imageFeatures = item.ImageFeatures,
                textFeatures = item.TextFeatures,
                labels = new[] { item.Label },
                metadata = metadata ?? new Dictionary<string, string>(),
            }, Json));
        }
        using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson");
        using var response = await Client.PostAsync("/v1/items/batch", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /v1/items/batch: {(int)response.StatusCode} {text}");
        using var result = JsonDocument.Parse(text);
        Assert.True(result.RootElement.GetProperty("rejected").GetArrayLength() == 0, text);
        Assert.Equal(items.Count, result.RootElement.GetProperty("accepted").GetArrayLength());
    }

    /// <summary>Waits until every item is indexed (from the item store, the system of record); fails at once on a failed item.</summary>
    public async Task WaitUntilIndexedAsync(IReadOnlyCollection<string> ids, TimeSpan timeout)
    {
        var store = Services.GetRequiredService<IItemStore>();
        await Poll.UntilAsync(
            async () =>
            {
                var records = await store.GetManyAsync(ids);
                var failed = records.FirstOrDefault(r => r.State == ItemState.Failed);
                Assert.True(failed is null, $"{failed?.Id} failed: {failed?.FailureReason}");
                return records.Count == ids.Count && records.All(r => r.State == ItemState.Indexed);
            },
            timeout,
            async () =>
            {
                var records = await store.GetManyAsync(ids);
                var indexed = records.Count(r => r.State == ItemState.Indexed);
                return $"{indexed} of {ids.Count} items indexed ({records.Count} stored)";
            });
    }

    /// <summary>The item's state as <c>GET /v1/items/{id}</c> reports it.</summary>
    public async Task<string> GetStateAsync(string id)
    {
        using var item = JsonDocument.Parse(await Client.GetStringAsync($"/v1/items/{Uri.EscapeDataString(id)}"));
        return item.RootElement.GetProperty("state").GetString()!;
    }

    /// <summary>POST /v1/search with a feature query; the hits' (id, modality) pairs, best first.</summary>
    public async Task<IReadOnlyList<(string Id, string Modality)>> SearchAsync(float[] features, string modality, string target, int k)
    {
        using var response = await Client.PostAsJsonAsync("/v1/search", new
        {
            query = new { features, modality },
            target,
            k,
        }, Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /v1/search: {(int)response.StatusCode} {text}");
        using var answer = JsonDocument.Parse(text);
        return [.. answer.RootElement.GetProperty("hits").EnumerateArray()
            .Select(hit => (hit.GetProperty("id").GetString()!, hit.GetProperty("modality").GetString()!))];
    }

    /// <summary>Vectors in the active model's index (an item with both modalities counts twice).</summary>
    public Task<long> CountVectorsAsync() => Services.GetRequiredService<IVectorStore>().CountAsync(ModelCatalog.Alias);

    /// <summary>Stops the bus (finishing what is in flight) and the web host, and deletes the stores; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Client.Dispose();
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            _folder.Dispose();
        }
    }
}
