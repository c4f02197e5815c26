using MassTransit;
using Microsoft.Extensions.Options;

namespace MS2GAN.Encoder;

/// <summary>Batching of ItemIngested: size and time limit from <see cref="EncoderOptions"/>.</summary>
public sealed class ItemIngestedConsumerDefinition : ConsumerDefinition<ItemIngestedConsumer>
{
    private readonly EncoderOptions _options;

    /// <summary>Reads the batch settings.</summary>
    public ItemIngestedConsumerDefinition(IOptions<EncoderOptions> options)
    {
        _options = options.Value;
        // The prefetch must cover a whole batch, or batches never fill.
        Endpoint(e => e.PrefetchCount = Math.Max(16, _options.BatchSize * (_options.ConcurrentBatches + 1)));
    }

    /// <inheritdoc />
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ItemIngestedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(_options.BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(_options.BatchTimeLimitMs))
            .SetConcurrencyLimit(_options.ConcurrentBatches));
    }
}
