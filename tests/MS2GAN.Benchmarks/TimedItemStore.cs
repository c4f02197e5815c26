using MS2GAN.Storage.Items;

namespace MS2GAN.Benchmarks;

/// <summary>
/// An item store that times its pages (<see cref="IItemStore.ListAsync"/>) and its reads by id
/// (<see cref="IItemStore.GetManyAsync"/>: the reindexer reads a page again after writing it) as two stages of a clock.
/// </summary>
internal sealed class TimedItemStore(IItemStore inner, StageClock clock) : IItemStore
{
    public const string Paging = "item-store paging";
    public const string ReadsById = "item-store reads by id";

    public Task<IReadOnlyList<ItemRecord>> ListAsync(ItemState? state, string? afterId, int limit, CancellationToken cancellationToken = default) =>
        clock.TimeAsync(Paging, () => inner.ListAsync(state, afterId, limit, cancellationToken));

    public Task<UpsertOutcome> UpsertAsync(ItemRecord item, CancellationToken cancellationToken = default) => inner.UpsertAsync(item, cancellationToken);

    public Task<IReadOnlyList<UpsertOutcome>> UpsertManyAsync(IReadOnlyList<ItemRecord> items, CancellationToken cancellationToken = default) =>
        inner.UpsertManyAsync(items, cancellationToken);

    public Task<ItemRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<ItemRecord>> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        clock.TimeAsync(ReadsById, () => inner.GetManyAsync(ids, cancellationToken));

    public Task<IReadOnlyDictionary<string, string>> GetContentHashesAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        clock.TimeAsync(ReadsById, () => inner.GetContentHashesAsync(ids, cancellationToken));

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
