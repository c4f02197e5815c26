using MassTransit;
using Microsoft.Extensions.Options;
using MS2GAN.Contracts;

namespace MS2GAN.Encoder;

/// <summary>Encodes the items of a batch ingest's chunk, which arrive as one message already.</summary>
public sealed class ItemsIngestedConsumer(IngestedItemsIndexer indexer, IOptions<EncoderOptions> options) : IConsumer<ItemsIngested>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<ItemsIngested> context) =>
        indexer.IndexAsync(context, context.Message.Items, options.Value.BatchSize);
}
