using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MassTransit;
using MS2GAN.Pipeline;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;

namespace MS2GAN.Ingest;

/// <summary>The ingest service's registrations, called by its own Program.cs and by the all-in-one host alike.</summary>
public static class IngestServiceExtensions
{
    /// <summary>
    /// Adds the stores (once per process), the active model's feature space for the width checks,
    /// <see cref="IngestService"/> (scoped, as MassTransit's publish endpoint is) and <see cref="IngestOptions"/> from the
    /// section "Ingest", validated on start. The host adds the bus (<c>AddMs2GanMessaging</c>) after its services.
    /// </summary>
    public static IHostApplicationBuilder AddIngestService(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddMs2GanStorage(builder.Configuration);
        services.AddActiveFeatureSpace(builder.Configuration);
        services.AddOptions<IngestOptions>()
            .Bind(builder.Configuration.GetSection(IngestOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMs2GanMetrics();
        services.AddOpenApiTag("Items", "Items in, one by one or as NDJSON batches; their state and deletion. Writes need the API key.");
        services.TryAddSingleton<ItemValidator>();
        services.TryAddScoped(provider => new IngestService(
            provider.GetRequiredService<IItemStore>(),
            provider.GetRequiredService<IMediaStore>(),
            provider.GetRequiredService<IPublishEndpoint>(),
            provider.GetRequiredService<ItemValidator>(),
            provider.GetRequiredService<IOptions<IngestOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<Ms2GanMetrics>(),
            provider.GetRequiredService<ILogger<IngestService>>()));
        return builder;
    }
}
