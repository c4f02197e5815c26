using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Common;
using MS2GAN.Features.Demo;
using MS2GAN.Features.Onnx;
using MS2GAN.Host.Cli;
using MS2GAN.Model;

namespace MS2GAN.Host.Tests.Support;

/// <summary>
/// A raw-mode model (ResNet18 image and MiniLM text features) trained on a small generated demo dataset (4 items per
/// class), for the tests that ingest and search real images and captions; and, when asked for, a service with that
/// model and the demo items ingested through `ms2gan ingest`. Shared by the classes of <see cref="DemoModelCollection"/>.
/// </summary>
public sealed class DemoModelFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly SemaphoreSlim _serverLock = new(1, 1);
    private AdminServer? _server;

    public DemoModelFixture()
    {
        var sessions = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cpu }, NullLogger<OnnxSessionFactory>.Instance);
        using (var images = new ResNet18Backbone(sessions))
        using (var texts = new MiniLmBackbone(sessions))
        {
            DemoDataGenerator.Generate(DemoDirectory, perClass: 4, seed: 1, images, texts);
        }
        // The configuration `serve` trains its demo model with: top hits of the right class on this data.
        TrainCommand.Train(DemoDirectory, ModelDirectory, new Ms2GanConfig { Epochs = 40, Threads = 1 }, force: true, NullLogger.Instance);
    }

    /// <summary>The demo dataset: media/*.png, captions.tsv and the features the model was trained on.</summary>
    public string DemoDirectory => _folder.Combine("demo");

    /// <summary>The trained model folder.</summary>
    public string ModelDirectory => _folder.Combine("model");

    /// <summary>The service with the demo items (40, all indexed), started on first use.</summary>
    public async Task<AdminServer> DemoServerAsync()
    {
        await _serverLock.WaitAsync();
        try
        {
            if (_server is null)
            {
                var server = await AdminServer.StartAsync(modelDirectory: ModelDirectory);
                var ingest = await Ms2GanCli.RunAsync(null, ["ingest", DemoDirectory, "--state", _folder.File("demo.ms2gan-ingest"), .. server.Connection]);
                if (ingest.ExitCode != 0 || !ingest.StandardOutput.Contains("indexed: 40 of 40", StringComparison.Ordinal))
                {
                    await server.DisposeAsync();
                    throw new InvalidOperationException($"the demo items were not ingested and indexed:\n{ingest}");
                }
                _server = server;
            }
            return _server;
        }
        finally
        {
            _serverLock.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _serverLock.Dispose();
        _folder.Dispose();
    }
}

/// <summary>
/// The test classes that share one <see cref="DemoModelFixture"/> (trained once, a few seconds). They run on their own, not
/// beside other collections: encoding 1,000 images with ResNet18 takes both cores of the development machine for a minute,
/// and the timed Wikipedia training tests beside it would run out of time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DemoModelCollection : ICollectionFixture<DemoModelFixture>
{
    public const string Name = "demo model";
}
