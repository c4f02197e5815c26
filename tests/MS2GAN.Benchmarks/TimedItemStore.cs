using MS2GAN.Storage.Items;
using MS2GAN.TestSupport;

namespace MS2GAN.Benchmarks;

/// <summary>
/// An item store that times its pages (<see cref="IItemStore.ListAsync"/>) and its reads by id
/// (<see cref="IItemStore.GetManyAsync"/>, and <see cref="IItemStore.GetContentHashesAsync"/> with which the reindexer
/// checks each page after writing it) as two stages of a clock.
/// </summary>
internal sealed class TimedItemStore(IItemStore inner, StageClock clock) : DelegatingItemStore(inner)
{
    public const string Paging = "item-store paging";
    public const string ReadsById = "item-store reads by id";

    public override Task<IReadOnlyList<ItemRecord>> ListAsync(ItemState? state, string? afterId, int limit, CancellationToken cancellationToken = default) =>
        clock.TimeAsync(Paging, () => Inner.ListAsync(state, afterId, limit, cancellationToken));

    public override Task<IReadOnlyList<ItemRecord>> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        clock.TimeAsync(ReadsById, () => Inner.GetManyAsync(ids, cancellationToken));

    public override Task<IReadOnlyDictionary<string, string>> GetContentHashesAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        clock.TimeAsync(ReadsById, () => Inner.GetContentHashesAsync(ids, cancellationToken));
}
