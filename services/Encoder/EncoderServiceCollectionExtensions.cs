using MassTransit;

namespace MS2GAN.Encoder;

/// <summary>Wiring of the encoder service (the stores and the active model are registered by the host's shared setup).</summary>
public static class EncoderServiceCollectionExtensions
{
    /// <summary>Encoder options and the batch encoder.</summary>
    public static IServiceCollection AddEncoderService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EncoderOptions>().Bind(configuration.GetSection(EncoderOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ItemEncoder>();
        services.AddSingleton<IngestedItemsIndexer>();
        return services;
    }

    /// <summary>The encoder's consumers: ItemIngested in batches, ItemsIngested (a chunk per message), ItemDeleted.</summary>
    public static IBusRegistrationConfigurator AddEncoderConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ItemIngestedConsumer, ItemIngestedConsumerDefinition>();
        bus.AddConsumer<ItemsIngestedConsumer, ItemsIngestedConsumerDefinition>();
        bus.AddConsumer<ItemDeletedConsumer>();
        return bus;
    }
}
