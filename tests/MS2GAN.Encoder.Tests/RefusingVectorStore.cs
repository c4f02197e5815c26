using MS2GAN.Storage.Vectors;

namespace MS2GAN.Encoder.Tests;

/// <summary>
/// Fault injection over a real store: writes every record except those of one item and then reports that item as
/// refused for good, the way a server store does when a bulk write partly fails after its retries.
/// </summary>
internal sealed class RefusingVectorStore(IVectorStore inner, string refusedItemId) : DelegatingVectorStore(inner)
{
    public const string Reason = "HTTP 400 mapper_parsing_exception: injected by the test";

    public override async Task UpsertAsync(string indexOrAlias, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        await Inner.UpsertAsync(indexOrAlias, [.. records.Where(r => r.ItemId != refusedItemId)], cancellationToken);
        if (records.Any(r => r.ItemId == refusedItemId))
        {
            throw new VectorWriteException($"1 item refused by '{indexOrAlias}'", new Dictionary<string, string> { [refusedItemId] = Reason });
        }
    }
}
