using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Features.Demo;
using MS2GAN.Host.Serve;
using MS2GAN.Ingest;

namespace MS2GAN.WebPage.Tests;

/// <summary>
/// `ms2gan serve` in this process on the demo data, as `serve` prepares it on a fresh machine (demo data drawn with
/// <see cref="PerClass"/> items per class, the demo model trained, every item ingested and indexed), with query images
/// limited to <see cref="MaxImageBytes"/> so the page's "too large" message can be tried with a small file.
/// </summary>
public sealed class DemoSite : IAsyncLifetime
{
    public const int PerClass = 8;
    public const int MaxImageBytes = 256 * 1024;

    private readonly TempFolder _folder = new();
    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    /// <summary>The services of the running application (its stores, model catalog and search service).</summary>
    public IServiceProvider Services => _app!.Services;

    public string DemoDirectory => _folder.Combine("demo");

    public TimeSpan PreparedIn { get; private set; }

    /// <summary>The demo items as they were ingested: id, caption, image, class label, split.</summary>
    public IReadOnlyList<ItemRequest> Items { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var settings = new ServeSettings(_folder.Path, null, "http://127.0.0.1:0", "inmemory", Demo: true, PerClass);
        var model = ServeCommand.PrepareModel(settings, NullLoggerFactory.Instance)!;
        (_app, Address) = await InProcessServe.StartAsync(_folder.Path, model, "inmemory", Guid.NewGuid().ToString("N"),
            [new("Search:MaxImageBytes", MaxImageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        await DemoIngestion.IngestAndWaitAsync(_app.Services, DemoDirectory, NullLogger.Instance, CancellationToken.None);
        Items = [.. DemoCorpus.Read(DemoDirectory)];
        PreparedIn = started.Elapsed;
    }

    public string ImagePath(string id) => Path.Combine(DemoDirectory, DemoDataGenerator.MediaFolder, id + ".png");

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        _folder.Dispose();
    }
}
