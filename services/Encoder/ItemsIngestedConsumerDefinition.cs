using MassTransit;
using MS2GAN.Contracts;
using Microsoft.Extensions.Options;

namespace MS2GAN.Encoder;

/// <summary>
/// How <see cref="ItemsIngested"/> messages are gathered: at most <see cref="EncoderOptions.BatchSize"/> messages or
/// <see cref="EncoderOptions.BatchTimeLimitMs"/> after the first, <see cref="EncoderOptions.ConcurrentBatches"/> at once.
/// A message of a single item and a chunk of hundreds count the same; the encoder slices the items into runs of
/// <see cref="EncoderOptions.BatchSize"/>.
/// </summary>
public sealed class ItemsIngestedConsumerDefinition : ConsumerDefinition<ItemsIngestedConsumer>
{
    private readonly EncoderOptions _options;

    /// <summary>Reads the batch settings.</summary>
    public ItemsIngestedConsumerDefinition(IOptions<EncoderOptions> options)
    {
        _options = options.Value;
        // The prefetch must cover a whole batch, or batches of single items never fill.
        Endpoint(e => e.PrefetchCount = Math.Max(16, _options.BatchSize * (_options.ConcurrentBatches + 1)));
    }

    /// <inheritdoc />
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ItemsIngestedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(_options.BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(_options.BatchTimeLimitMs))
            .SetConcurrencyLimit(_options.ConcurrentBatches));
    }
}
