using MassTransit;
using MS2GAN.Contracts;
using MS2GAN.Pipeline;
using MS2GAN.ServiceDefaults;

namespace MS2GAN.Encoder;

/// <summary>
/// The encoder service's registrations, called by its own Program.cs and by the all-in-one host alike. The encoder has
/// no HTTP endpoints of its own: it is driven by messages, and the service defaults give it health and metrics.
/// </summary>
public static class EncoderServiceExtensions
{
    /// <summary>
    /// Adds the stores and the served model (once per process), the encoder options (section "Encoder"), the encoder and
    /// its consumers: <see cref="ItemsIngested"/> in batches and <see cref="ItemDeleted"/>. The host adds the bus
    /// (<c>AddMs2GanMessaging</c>) after its services.
    /// </summary>
    public static IHostApplicationBuilder AddEncoderService(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddMs2GanStorage(builder.Configuration);
        services.AddMs2GanModel(builder.Configuration);
        services.AddOptions<EncoderOptions>().Bind(builder.Configuration.GetSection(EncoderOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddMs2GanMetrics();
        services.AddSingleton<ItemEncoder>();
        services.AddMs2GanConsumers(bus =>
        {
            bus.AddConsumer<ItemsIngestedConsumer, ItemsIngestedConsumerDefinition>();
            bus.AddConsumer<ItemDeletedConsumer>();
        });
        return builder;
    }
}
