using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MassTransit;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;

namespace MS2GAN.Ingest;

/// <summary>Registers the ingest service; the host registers the stores and the bus.</summary>
public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IngestService"/> (scoped, as MassTransit's publish endpoint is) and
    /// <see cref="IngestOptions"/> from the section "Ingest", validated on start. Needs an
    /// <see cref="IItemStore"/>, an <see cref="IMediaStore"/> and MassTransit registered by the host.
    /// </summary>
    public static IServiceCollection AddIngestService(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<IngestOptions>()
            .Bind(configuration.GetSection(IngestOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMs2GanMetrics();
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
        return services;
    }
}
