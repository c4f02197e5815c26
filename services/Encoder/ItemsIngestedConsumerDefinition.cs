using MassTransit;
using Microsoft.Extensions.Options;

namespace MS2GAN.Encoder;

/// <summary>Chunks are batches already: as many at once as <see cref="EncoderOptions.ConcurrentBatches"/> allows.</summary>
public sealed class ItemsIngestedConsumerDefinition : ConsumerDefinition<ItemsIngestedConsumer>
{
    /// <summary>Reads the concurrency from the encoder options.</summary>
    public ItemsIngestedConsumerDefinition(IOptions<EncoderOptions> options)
    {
        var concurrent = options.Value.ConcurrentBatches;
        ConcurrentMessageLimit = concurrent;
        // One chunk waiting behind each one being encoded keeps the encoder busy without hoarding messages.
        Endpoint(e => e.PrefetchCount = 2 * concurrent);
    }
}
