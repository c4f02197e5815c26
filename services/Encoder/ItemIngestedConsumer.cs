using MassTransit;
using Microsoft.Extensions.Options;
using MS2GAN.Contracts;

namespace MS2GAN.Encoder;

/// <summary>Encodes items announced one by one, gathered into batches by MassTransit (<see cref="ItemIngestedConsumerDefinition"/>).</summary>
public sealed class ItemIngestedConsumer(IngestedItemsIndexer indexer, IOptions<EncoderOptions> options) : IConsumer<Batch<ItemIngested>>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<Batch<ItemIngested>> context) =>
        indexer.IndexAsync(context, [.. context.Message.Select(message => message.Message)], options.Value.BatchSize);
}
