using MassTransit;
using MS2GAN.Contracts;

namespace MS2GAN.Encoder;

/// <summary>
/// Hands ingested items to the encoder: the entries of every <see cref="ItemsIngested"/> message MassTransit gathered into
/// one batch (<see cref="ItemsIngestedConsumerDefinition"/>), so single items and batch chunks take the same path.
/// </summary>
public sealed class ItemsIngestedConsumer(ItemEncoder encoder) : IConsumer<Batch<ItemsIngested>>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<Batch<ItemsIngested>> context) =>
        encoder.IndexAsync([.. context.Message.SelectMany(message => message.Message.Items)], context, context.CancellationToken);
}
