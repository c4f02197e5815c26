using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MS2GAN.Encoder;
using MS2GAN.Ingest;
using MS2GAN.Search;
using MS2GAN.ServiceDefaults;
using MS2GAN.ServiceDefaults.Pipeline;
using MS2GAN.Trainer;

namespace MS2GAN.Host.Serve;

/// <summary>All four services in one process: ingest, encoder, search and trainer over one bus and the embedded stores.</summary>
public static class ServeApplication
{
    /// <summary>Builds the web application for the given model folder and data folder.</summary>
    /// <param name="settings">The serve command's settings.</param>
    /// <param name="modelDirectory">The model folder to serve.</param>
    /// <param name="args">Command-line configuration (<c>--Section:Key=value</c>).</param>
    /// <param name="configureServices">
    /// Runs after every registration, just before the service provider is built: for tests and benchmarks that
    /// decorate a store (fault injection) or add services. Null in production.
    /// </param>
    public static WebApplication Build(
        ServeSettings settings, string modelDirectory, string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var overrides = new Dictionary<string, string?>
        {
            ["Pipeline:DataDirectory"] = Path.Combine(settings.DataDirectory, "store"),
            ["Pipeline:ModelDirectory"] = modelDirectory,
            ["Messaging:Transport"] = settings.Transport.Equals("rabbitmq", StringComparison.OrdinalIgnoreCase) ? "RabbitMq" : "InMemory",
            ["urls"] = settings.Urls,
        };
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
        builder.Services.AddMs2GanStorage(builder.Configuration);
        builder.Services.AddMs2GanModel(builder.Configuration);
        builder.Services.AddIngestService(builder.Configuration);
        builder.Services.AddEncoderService(builder.Configuration);
        builder.Services.AddSearchService();
        builder.Services.AddTrainerService(builder.Configuration);
        builder.Services.AddMs2GanMessaging(builder.Configuration, bus =>
        {
            bus.AddEncoderConsumers();
            bus.AddTrainerConsumers();
        });
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIngestEndpoints();
        app.MapSearchEndpoints();
        app.MapWebPage();
        app.MapAdminEndpoints();
        return app;
    }

    /// <summary>Whether an API key is configured (environment MS2GAN_API_KEY or ApiKeys:Key).</summary>
    public static bool HasApiKey(IServiceProvider services) =>
        !string.IsNullOrEmpty(services.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Key);
}
