using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;

namespace MS2GAN.Ingest.Tests;

/// <summary>
/// The ingest service on a test server: a temporary data folder, an API key, the in-memory bus with every
/// published message recorded, a model whose feature widths given features must have, and a small batch limit.
/// </summary>
public sealed class IngestApiFactory : WebApplicationFactory<IngestService>
{
    public const string ApiKey = "test-api-key-0123456789";
    public const int ImageFeatureDim = 4;
    public const int TextFeatureDim = 3;
    public const int MaxBatchLines = 20;
    public const int MaxTextLength = 100;
    public const int MaxRequestBytes = 256 * 1024;

    private readonly TempFolder _data = new();
    private readonly Lazy<HttpClient> _client;

    public IngestApiFactory()
    {
        _client = new Lazy<HttpClient>(() =>
        {
            var client = CreateClient();
            Services.GetRequiredService<IBus>().ConnectPublishObserver(Published);
            return client;
        });
    }

    /// <summary>Every message published since the server started.</summary>
    public PublishedMessages Published { get; } = new();

    /// <summary>A client that sends the API key.</summary>
    public HttpClient Client
    {
        get
        {
            var client = _client.Value;
            client.DefaultRequestHeaders.Remove("X-Api-Key");
            client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
            return client;
        }
    }

    /// <summary>A client that sends no API key.</summary>
    public HttpClient AnonymousClient
    {
        get
        {
            _ = _client.Value;
            return CreateClient();
        }
    }

    public IItemStore Items => Services.GetRequiredService<IItemStore>();

    public IMediaStore Media => Services.GetRequiredService<IMediaStore>();

    public string MediaFolder => _data.Combine("media");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Pipeline:DataDirectory", _data.Path);
        builder.UseSetting("ApiKeys:Key", ApiKey);
        builder.UseSetting("Messaging:Transport", "InMemory");
        // The widths given features must have come from the active model: a tiny one trained for them.
        builder.UseSetting("Pipeline:ModelDirectory", SyntheticClusters.TrainTinyModel(_data.Combine("seed"), ImageFeatureDim, TextFeatureDim));
        builder.UseSetting("Ingest:MaxBatchLines", MaxBatchLines.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Ingest:MaxTextLength", MaxTextLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Ingest:MaxRequestBytes", MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Ingest:BatchChunkSize", "7");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }
}
