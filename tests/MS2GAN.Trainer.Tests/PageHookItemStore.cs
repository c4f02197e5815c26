using MS2GAN.Storage.Items;

namespace MS2GAN.Trainer.Tests;

/// <summary>
/// The real item store, except that after every page read of a given size (a reindex's pages) a hook runs with the
/// call's number and the page: it may throw (the trainer dies in the middle of a reindex) or change the store (an
/// ingest racing the reindex). The afterId of every such read is recorded. Everything else is passed through.
/// </summary>
public sealed class PageHookItemStore(IItemStore inner, int pageSize, Func<int, IReadOnlyList<ItemRecord>, Task> afterPage) : IItemStore
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

    public async Task<IReadOnlyList<ItemRecord>> ListAsync(ItemState? state, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        var page = await inner.ListAsync(state, afterId, limit, cancellationToken);
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

    public Task<UpsertOutcome> UpsertAsync(ItemRecord item, CancellationToken cancellationToken = default) => inner.UpsertAsync(item, cancellationToken);

    public Task<IReadOnlyList<UpsertOutcome>> UpsertManyAsync(IReadOnlyList<ItemRecord> items, CancellationToken cancellationToken = default) =>
        inner.UpsertManyAsync(items, cancellationToken);

    public Task<ItemRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<ItemRecord>> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        inner.GetManyAsync(ids, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetContentHashesAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        inner.GetContentHashesAsync(ids, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => inner.DeleteAsync(id, cancellationToken);

    public Task<bool> SetCachedFeaturesAsync(string id, string expectedContentHash, float[]? imageFeatures, string? imageFeatureSpace,
        float[]? textFeatures, string? textFeatureSpace, CancellationToken cancellationToken = default) =>
        inner.SetCachedFeaturesAsync(id, expectedContentHash, imageFeatures, imageFeatureSpace, textFeatures, textFeatureSpace, cancellationToken);

    public Task<int> MarkIndexedAsync(IReadOnlyCollection<string> ids, string modelVersion, CancellationToken cancellationToken = default) =>
        inner.MarkIndexedAsync(ids, modelVersion, cancellationToken);

    public Task<bool> MarkFailedAsync(string id, string reason, CancellationToken cancellationToken = default) => inner.MarkFailedAsync(id, reason, cancellationToken);

    public Task<IReadOnlyDictionary<ItemState, long>> CountByStateAsync(CancellationToken cancellationToken = default) => inner.CountByStateAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ListIdsAsync(string? afterId, int limit, CancellationToken cancellationToken = default) =>
        inner.ListIdsAsync(afterId, limit, cancellationToken);
}
