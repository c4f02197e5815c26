using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Ingest;
using MS2GAN.Model.Inference;
using MS2GAN.Model.Registry;
using MS2GAN.Storage.Items;

namespace MS2GAN.Host.Tests.Support;

/// <summary>
/// `ms2gan serve` in this process (ServeApplication: in-memory bus, embedded stores in a temp folder) over a tiny
/// feature-mode model, listening on a free local port: the admin API the CLI's admin verbs talk to over HTTP.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    public const string ApiKey = "ms2gan-host-tests-admin-key";

    private readonly WebApplication _app;
    private readonly TempFolder _folder;

    private AdminServer(WebApplication app, TempFolder folder, string url)
    {
        _app = app;
        _folder = folder;
        Url = url;
    }

    public string Url { get; }

    /// <summary>--url and --api-key for this server.</summary>
    public string[] Connection => ["--url", Url, "--api-key", ApiKey];

    /// <summary>The application's services (the stores, to count what the API under test did).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The registry as the services see it (read from its file, not through the API under test).</summary>
    public RegistryState Registry => _app.Services.GetRequiredService<ModelCatalog>().Registry.Read();

    /// <summary>The folder of a registered version.</summary>
    public string RegistryDirectoryOf(string version) => _app.Services.GetRequiredService<ModelCatalog>().Registry.DirectoryOf(version);

    /// <summary>
    /// Trains the tiny model (or serves <paramref name="modelDirectory"/>) and starts the application; <paramref name="settings"/>
    /// as <c>Section:Key</c> to value.
    /// </summary>
    public static async Task<AdminServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null, string? modelDirectory = null)
    {
        var folder = new TempFolder();
        try
        {
            var model = modelDirectory ?? SyntheticClusters.TrainTinyModel(folder.Path, SyntheticClusters.Split(perClass: 10, seed: 3), epochs: 5);
            var (app, address) = await InProcessServe.StartAsync(folder.Path, model, "inmemory", ApiKey, settings);
            return new AdminServer(app, folder, address.ToString().TrimEnd('/'));
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>Ingests labelled feature items from the tiny model's clusters and waits until the encoder has indexed them all.</summary>
    public async Task IngestAndWaitAsync(int perClass, int seed)
    {
        var split = SyntheticClusters.Split(perClass, seed);
        var ids = new List<string>();
        using (var scope = _app.Services.CreateScope())
        {
            var ingest = scope.ServiceProvider.GetRequiredService<IngestService>();
            for (var row = 0; row < split.Count; row++)
            {
                var request = new ItemRequest
                {
                    Id = $"item-{row:D4}",
                    ImageFeatures = split.Image.Row(row).ToArray(),
                    TextFeatures = split.Text.Row(row).ToArray(),
                    Labels = [$"class-{split.Labels[row]}"],
                };
                var result = await ingest.IngestAsync(request);
                Assert.True(result.IsAccepted, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
                ids.Add(request.Id);
            }
        }
        var items = _app.Services.GetRequiredService<IItemStore>();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var records = await items.GetManyAsync(ids);
            Assert.DoesNotContain(records, r => r.State == ItemState.Failed);
            if (records.Count == ids.Count && records.All(r => r.State == ItemState.Indexed))
            {
                return;
            }
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), $"{records.Count(r => r.State == ItemState.Indexed)} of {ids.Count} items indexed after a minute");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
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
