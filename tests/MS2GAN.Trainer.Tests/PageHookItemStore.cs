using MS2GAN.Storage.Items;

namespace MS2GAN.Trainer.Tests;

/// <summary>
/// The real item store, except that after every page read of a given size (a reindex's pages) a hook runs with the
/// call's number and the page: it may throw (the trainer dies in the middle of a reindex) or change the store (an
/// ingest racing the reindex). The afterId of every such read is recorded. Everything else is passed through.
/// </summary>
internal sealed class PageHookItemStore(IItemStore inner, int pageSize, Func<int, IReadOnlyList<ItemRecord>, Task> afterPage) : DelegatingItemStore(inner)
{
    private readonly List<string?> _afterIds = [];
    private int _calls;

    /// <summary>The afterId of every page read of <c>pageSize</c> items, in order.</summary>
    public IReadOnlyList<string?> AfterIds
    {
        get
        {
            lock (_afterIds)
            {
                return [.. _afterIds];
            }
        }
    }

    public override async Task<IReadOnlyList<ItemRecord>> ListAsync(ItemState? state, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        var page = await Inner.ListAsync(state, afterId, limit, cancellationToken);
        if (limit == pageSize)
        {
            lock (_afterIds)
            {
                _afterIds.Add(afterId);
            }
            await afterPage(Interlocked.Increment(ref _calls), page);
        }
        return page;
    }
}
