using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Integration.Tests.Faults;

/// <summary>
/// The pipeline as separate processes, as deployed: the ingest service and the encoder service, each its own process on
/// RabbitMQ, sharing one data folder (SQLite items, the media folder; the encoder alone writes the embedded vector store).
/// The test drives HTTP ingest, kills and restarts processes, and reads the stores to count what became of every item.
/// </summary>
public sealed class SplitPipeline : IAsyncDisposable
{
    public const string ApiKey = "ms2gan-fault-suite-key-0123456789";

    private readonly HttpClient _client;

    private SplitPipeline(ServiceProcess ingest, ServiceProcess encoder, string dataDirectory)
    {
        Ingest = ingest;
        Encoder = encoder;
        DataDirectory = dataDirectory;
        _client = new HttpClient { BaseAddress = ingest.Address, Timeout = TimeSpan.FromSeconds(30) };
        _client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public ServiceProcess Ingest { get; }
    public ServiceProcess Encoder { get; }
    public string DataDirectory { get; }

    public static async Task<SplitPipeline> StartAsync(string modelDirectory, RabbitMqBroker broker, string virtualHost, TempFolder folder)
    {
        var environment = new Dictionary<string, string>
        {
            ["Messaging__Transport"] = "RabbitMq",
            ["Messaging__Host"] = broker.Host,
            ["Messaging__Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Messaging__VirtualHost"] = virtualHost,
            ["Messaging__Username"] = broker.Username,
            ["Messaging__Password"] = broker.Password,
            ["Pipeline__DataDirectory"] = folder.Path,
            ["Pipeline__ModelDirectory"] = modelDirectory,
            ["Pipeline__OnnxProvider"] = "Cpu",
            ["MS2GAN_API_KEY"] = ApiKey,
        };
        var ingest = new ServiceProcess("Ingest", environment);
        var encoder = new ServiceProcess("Encoder", environment);
        var pipeline = new SplitPipeline(ingest, encoder, folder.Path);
        await encoder.StartAsync(TimeSpan.FromSeconds(60));
        await ingest.StartAsync(TimeSpan.FromSeconds(60));
        return pipeline;
    }

    /// <summary>
    /// POSTs one NDJSON batch of feature-mode items; returns the ids the service acknowledged (accepted), none when it
    /// refused the request (a 503 while the broker is away) or could not be reached.
    /// </summary>
    public Task<IReadOnlyList<string>> SendAsync(IReadOnlyList<FeatureItem> items) =>
        SendLinesAsync(items.Select(item => (object)new { id = item.Id, imageFeatures = item.ImageFeatures, textFeatures = item.TextFeatures, labels = new[] { item.Label } }));

    /// <summary>POSTs one NDJSON batch, one line per object (the API's JSON form of an item); as <see cref="SendAsync"/>.</summary>
    public async Task<IReadOnlyList<string>> SendLinesAsync(IEnumerable<object> lines)
    {
        var body = new StringBuilder();
        foreach (var line in lines)
        {
            body.AppendLine(JsonSerializer.Serialize(line));
        }
        try
        {
            using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson");
            using var response = await _client.PostAsync("/v1/items/batch", content);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return [];
            }
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return [.. answer.RootElement.GetProperty("accepted").EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return [];
        }
    }

    /// <summary>
    /// Waits until every acknowledged item is indexed (five minutes at most), stops the encoder, counts what became of the
    /// items and saves the fault's row.
    /// </summary>
    public async Task<FaultRow> SettleAsync(string fault, int sent, IReadOnlyCollection<string> acknowledged, string recovery)
    {
        await Poll.UntilAsync(async () => await CountIndexedAsync(acknowledged) == acknowledged.Count, TimeSpan.FromMinutes(5),
            async () => $"{await CountIndexedAsync(acknowledged)} of {acknowledged.Count} acknowledged items indexed");
        await Encoder.StopAsync();
        var indexed = await CountIndexedAsync(acknowledged);
        var vectors = await CountVectorsAsync();
        var row = new FaultRow(fault, sent, acknowledged.Count, indexed, Lost: acknowledged.Count - indexed, Duplicated: (int)(vectors - 2L * indexed), recovery);
        row.Save();
        return row;
    }

    /// <summary>How many of the items are indexed, from the item store (the system of record).</summary>
    public async Task<int> CountIndexedAsync(IReadOnlyCollection<string> ids) =>
        (await GetItemsAsync(ids)).Count(r => r.State == ItemState.Indexed);

    /// <summary>The stored records of the items (the system of record), read from the shared data folder.</summary>
    public async Task<IReadOnlyList<ItemRecord>> GetItemsAsync(IEnumerable<string> ids)
    {
        using var items = new SqliteItemStore(Path.Combine(DataDirectory, "items.db"));
        return await items.GetManyAsync(ids);
    }

    /// <summary>
    /// Vector records in the active index (one per item and modality: a record written twice replaces itself); the encoder
    /// must be stopped first (the embedded store has one writer).
    /// </summary>
    public async Task<long> CountVectorsAsync()
    {
        using var vectors = new EmbeddedVectorStore(new EmbeddedVectorStoreOptions { RootDirectory = Path.Combine(DataDirectory, "vectors") });
        return await vectors.CountAsync((await vectors.ListIndexesAsync()).Single().Name);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Ingest.DisposeAsync();
        await Encoder.DisposeAsync();
    }
}
