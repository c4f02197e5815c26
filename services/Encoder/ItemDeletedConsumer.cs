using MassTransit;
using MS2GAN.Contracts;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Encoder;

/// <summary>
/// Removes a deleted item's vectors from every index: the active one, the one a reindex is building and the
/// previous one kept for rollback, so that neither a finished reindex nor a rollback brings the item back.
/// </summary>
public sealed class ItemDeletedConsumer(IVectorStore vectors) : IConsumer<ItemDeleted>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<ItemDeleted> context)
    {
        foreach (var index in await vectors.ListIndexesAsync(context.CancellationToken))
        {
            await vectors.DeleteItemAsync(index.Name, context.Message.ItemId, context.CancellationToken);
        }
    }
}
