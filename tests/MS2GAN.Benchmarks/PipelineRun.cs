using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Storage.Items;
using MS2GAN.TestSupport;

namespace MS2GAN.Benchmarks;

/// <summary>
/// `ms2gan serve --transport rabbitmq` in this process (all four services, embedded stores in a folder of
/// its own) listening on a free loopback port, with an HTTP client that sends the API key.
/// </summary>
public sealed class PipelineRun : IAsyncDisposable
{
    private const string ApiKey = "ms2gan-bench-key";

    private readonly WebApplication _app;

    private PipelineRun(WebApplication app, Uri address)
    {
        _app = app;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        Client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<PipelineRun> StartAsync(BenchBroker broker, string modelDirectory, string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        // The provider the machine offers (the tests' default is the CPU): the figures are this machine's.
        KeyValuePair<string, string>[] provider = [new("Pipeline:OnnxProvider", "Auto")];
        var (app, address) = await InProcessServe.StartAsync(dataDirectory, modelDirectory, "rabbitmq", ApiKey,
            [.. broker.MessagingSettings(), .. provider, .. settings]);
        return new PipelineRun(app, address);
    }

    /// <summary>One NDJSON request body: items <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> - 1 of the stream.</summary>
    public static byte[] NdjsonBody(SyntheticCorpus corpus, string prefix, int seed, int from, int count)
    {
        var body = new StringBuilder(count * 1500);
        for (var i = from; i < from + count; i++)
        {
            var (image, text, label) = corpus.Item(seed, i);
            body.Append(CultureInfo.InvariantCulture, $"{{\"id\":\"{prefix}-{i:D7}\",\"labels\":[\"class-{label}\"],\"imageFeatures\":[");
            AppendFloats(body, image);
            body.Append("],\"textFeatures\":[");
            AppendFloats(body, text);
            body.Append("]}\n");
        }
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    /// <summary>POSTs one NDJSON body to /v1/items/batch; throws unless every line was accepted.</summary>
    public async Task PostBatchAsync(byte[] body, int expectedLines)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/x-ndjson");
        using var response = await Client.PostAsync("/v1/items/batch", content);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST /v1/items/batch answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 400)]}");
        }
        using var result = JsonDocument.Parse(text);
        var accepted = result.RootElement.GetProperty("accepted").GetArrayLength();
        if (accepted != expectedLines)
        {
            throw new InvalidOperationException($"POST /v1/items/batch accepted {accepted} of {expectedLines} lines: {text[..Math.Min(text.Length, 400)]}");
        }
    }

    /// <summary>Items by state, from the item store (the system of record).</summary>
    public async Task<(long Indexed, long Failed, long Total)> CountAsync()
    {
        var counts = await Services.GetRequiredService<IItemStore>().CountByStateAsync();
        return (counts.GetValueOrDefault(ItemState.Indexed), counts.GetValueOrDefault(ItemState.Failed), counts.Values.Sum());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void AppendFloats(StringBuilder body, float[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                body.Append(',');
            }
            body.Append(values[i].ToString("G6", CultureInfo.InvariantCulture));
        }
    }
}
