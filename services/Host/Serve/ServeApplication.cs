using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Encoder;
using MS2GAN.Ingest;
using MS2GAN.Search;
using MS2GAN.ServiceDefaults;
using MS2GAN.Trainer;

namespace MS2GAN.Host.Serve;

/// <summary>
/// All four services in one process: ingest, encoder, search and trainer over one bus and the embedded stores. Each service
/// is registered and mapped by the same two calls its own Program.cs makes.
/// </summary>
public static class ServeApplication
{
    /// <summary>Builds the web application for the given model folder and data folder.</summary>
    /// <param name="settings">The serve command's settings.</param>
    /// <param name="modelDirectory">The model folder to serve until the registry has an active model; null for none.</param>
    /// <param name="args">Command-line configuration (<c>--Section:Key=value</c>).</param>
    /// <param name="configureServices">
    /// Runs after every registration, just before the service provider is built: for tests and benchmarks that
    /// decorate a store (fault injection) or add services. Null in production.
    /// </param>
    public static WebApplication Build(
        ServeSettings settings, string? modelDirectory, string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var overrides = new Dictionary<string, string?>
        {
            ["Pipeline:DataDirectory"] = Path.Combine(settings.DataDirectory, "store"),
            ["Messaging:Transport"] = settings.Transport.Equals("rabbitmq", StringComparison.OrdinalIgnoreCase) ? "RabbitMq" : "InMemory",
            ["urls"] = settings.Urls,
        };
        if (modelDirectory is not null)
        {
            overrides["Pipeline:ModelDirectory"] = modelDirectory;
        }
        if (settings.Store.Equals("elasticsearch", StringComparison.OrdinalIgnoreCase))
        {
            overrides["Pipeline:Store"] = "Elasticsearch";
        }
        if (settings.ElasticsearchUrl is { } elasticsearchUrl)
        {
            overrides["Elasticsearch:Url"] = elasticsearchUrl;
        }
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.WebHost.UseUrls(settings.Urls);
        builder.AddServiceDefaults("ms2gan");
        builder.AddIngestService();
        builder.AddEncoderService();
        builder.AddSearchService();
        builder.AddTrainerService();
        builder.Services.AddMs2GanMessaging(builder.Configuration);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIngestEndpoints();
        app.MapSearchEndpoints();
        app.MapTrainerEndpoints();
        return app;
    }
}
