using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MS2GAN.Features.Onnx;
using MS2GAN.Host.Cli;
using MS2GAN.Model;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Inference;
using MS2GAN.Search;
using MS2GAN.ServiceDefaults;

namespace MS2GAN.Host.Serve;

/// <summary>
/// `ms2gan serve`: all services in one process on the embedded stores. With <c>--demo</c> it generates the demo data and
/// trains a demo model (once; later runs reuse them), ingests the demo items through the ingest path, waits until they
/// are indexed, prints example queries and serves the HTTP APIs. Without it serve starts on the platform's own content:
/// the model given with <c>--model</c>, the registry's active model from an earlier run, or none yet (items are accepted
/// and their base features cached; the first `ms2gan retrain` trains the first model).
/// </summary>
public static class ServeCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var model = new Option<DirectoryInfo?>("--model") { Description = "Model folder to serve until the registry has an active model (default: none, or the demo model with --demo)" };
        var dataDir = new Option<DirectoryInfo>("--data-dir") { Description = "Folder for demo data, model and stores", DefaultValueFactory = _ => new DirectoryInfo("ms2gan-data") };
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var transport = new Option<string>("--transport") { Description = "inmemory (one process) or rabbitmq (from configuration)", DefaultValueFactory = _ => "inmemory" };
        transport.AcceptOnlyFromAmong("inmemory", "rabbitmq");
        var demo = new Option<bool>("--demo") { Description = "Draw the demo data, train the demo model, ingest the demo items and print example queries with their results" };
        var perClass = new Option<int>("--per-class") { Description = "Demo items per class when the demo data is generated (with --demo)", DefaultValueFactory = _ => 30 };
        var store = new Option<string>("--store") { Description = "Vector store: embedded (no server) or elasticsearch", DefaultValueFactory = _ => "embedded" };
        store.AcceptOnlyFromAmong("embedded", "elasticsearch");
        var esUrl = new Option<string?>("--es-url") { Description = "Elasticsearch URL for --store elasticsearch (or Elasticsearch:Url; the password from Elasticsearch__Password)" };
        var command = new Command("serve", "Run all four services in one process: ingest, encoder, search (with the web page) and the trainer with its admin API (embedded stores by default)")
        {
            model, dataDir, urls, transport, demo, perClass, store, esUrl,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var settings = new ServeSettings(parse.GetValue(dataDir)!.FullName, parse.GetValue(model)?.FullName, parse.GetValue(urls)!,
                parse.GetValue(transport)!, parse.GetValue(demo), parse.GetValue(perClass), parse.GetValue(store)!, parse.GetValue(esUrl));
            string? modelDirectory = null;
            var prepared = CliRunner.Run("serve", false, loggers =>
            {
                modelDirectory = PrepareModel(settings, loggers);
                return 0;
            });
            if (prepared != 0)
            {
                return prepared;
            }
            return await RunAsync(settings, modelDirectory, cancellation);
        });
        return command;
    }

    /// <summary>
    /// The model folder serve seeds the registry with: the one given; with <see cref="ServeSettings.Demo"/> the demo model
    /// under the data folder, made on first use (the demo data drawn with <see cref="ServeSettings.PerClass"/> items per
    /// class, then a 40-epoch training); else none (the registry's active model, if any, is served).
    /// </summary>
    public static string? PrepareModel(ServeSettings settings, ILoggerFactory loggers)
    {
        if (settings.ModelDirectory is { } given)
        {
            ModelFolder.Read(given);
            return given;
        }
        if (!settings.Demo)
        {
            return null;
        }
        var modelDirectory = Path.Combine(settings.DataDirectory, "model");
        if (File.Exists(Path.Combine(modelDirectory, ModelManifest.FileName)))
        {
            ModelFolder.Read(modelDirectory);
            return modelDirectory;
        }
        var demoDirectory = Path.Combine(settings.DataDirectory, "demo");
        if (!DemoCorpus.Exists(demoDirectory))
        {
            DemoDataCommand.Generate(demoDirectory, settings.PerClass, 1, mediaOnly: false, force: true, ExecutionPreference.Auto, loggers);
        }
        TrainCommand.Train(demoDirectory, modelDirectory, new Ms2GanConfig { Epochs = 40 }, force: true, loggers.CreateLogger("train"));
        return modelDirectory;
    }

    private static async Task<int> RunAsync(ServeSettings settings, string? modelDirectory, CancellationToken cancellation)
    {
        string? generatedKey = null;
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ApiKeyOptions.EnvironmentVariable)))
        {
            // No key configured: make one for this run rather than leaving writes open.
            generatedKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            Environment.SetEnvironmentVariable(ApiKeyOptions.EnvironmentVariable, generatedKey);
        }
        WebApplication app;
        try
        {
            app = ServeApplication.Build(settings, modelDirectory, []);
            await app.StartAsync(cancellation);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var (exitCode, message) = StartupFailure.Describe(ex);
            Console.Error.WriteLine($"error: {message}");
            return exitCode;
        }
        await using (app)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("serve");
            var demoDirectory = Path.Combine(settings.DataDirectory, "demo");
            if (settings.Demo && settings.ModelDirectory is null && DemoCorpus.Exists(demoDirectory))
            {
                await DemoIngestion.IngestAndWaitAsync(app.Services, demoDirectory, logger, cancellation);
                if (settings.Demo)
                {
                    await DemoQueries.PrintAsync(app.Services, demoDirectory, Console.Out, cancellation);
                }
            }
            Console.Error.WriteLine($"ms2gan is serving on {settings.Urls} (web page: {settings.Urls}{WebPageEndpoints.Path}/, OpenAPI: {settings.Urls}/openapi/v1.json, health: {settings.Urls}/health/ready)");
            if (app.Services.GetRequiredService<ModelCatalog>().Registry.Read().Active is null)
            {
                Console.Error.WriteLine("No model is active yet: items are accepted and their features kept. Ingest labelled items " +
                    "(`ms2gan ingest PATH`), then `ms2gan retrain` trains the first model and indexes everything.");
            }
            if (generatedKey is not null)
            {
                Console.Error.WriteLine($"API key for this run (set {ApiKeyOptions.EnvironmentVariable} to choose your own): {generatedKey}");
            }
            Console.Error.WriteLine("Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(cancellation);
        }
        return 0;
    }
}
