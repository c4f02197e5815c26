using MassTransit;
using MS2GAN.Contracts;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Encoder;

/// <summary>Removes a deleted item's vectors from the active index.</summary>
public sealed class ItemDeletedConsumer(IVectorStore vectors, ActiveModel active) : IConsumer<ItemDeleted>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<ItemDeleted> context)
    {
        if (await vectors.GetIndexAsync(active.IndexName, context.CancellationToken) is not null)
        {
            await vectors.DeleteItemAsync(active.IndexName, context.Message.ItemId, context.CancellationToken);
        }
    }
}
