using MS2GAN.Storage;
using MS2GAN.Storage.Items;

namespace MS2GAN.TestSupport;

/// <summary>
/// A real item store passed through; fault-injecting and timing test stores override the calls they change (the ones
/// marked virtual). Disposing it disposes the store it wraps.
/// </summary>
public abstract class DelegatingItemStore(IItemStore inner) : IItemStore, IDisposable
{
    protected IItemStore Inner => inner;

    public virtual Task<IReadOnlyList<ItemRecord>> ListAsync(ItemState? state, string? afterId, int limit, CancellationToken cancellationToken = default) =>
        inner.ListAsync(state, afterId, limit, cancellationToken);

    public virtual Task<IReadOnlyList<ItemRecord>> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        inner.GetManyAsync(ids, cancellationToken);

    public virtual Task<IReadOnlyDictionary<string, string>> GetContentHashesAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        inner.GetContentHashesAsync(ids, cancellationToken);

    public virtual Task<int> MarkIndexedAsync(IReadOnlyCollection<string> ids, string modelVersion, CancellationToken cancellationToken = default) =>
        inner.MarkIndexedAsync(ids, modelVersion, cancellationToken);

    public Task<int> SetAutoLabelsAsync(
        IReadOnlyCollection<string> ids, IReadOnlyDictionary<string, AutoLabel> autoLabels, CancellationToken cancellationToken = default) =>
        inner.SetAutoLabelsAsync(ids, autoLabels, cancellationToken);

    public Task<UpsertOutcome> UpsertAsync(ItemRecord item, CancellationToken cancellationToken = default) => inner.UpsertAsync(item, cancellationToken);

    public Task<IReadOnlyList<UpsertOutcome>> UpsertManyAsync(IReadOnlyList<ItemRecord> items, CancellationToken cancellationToken = default) =>
        inner.UpsertManyAsync(items, cancellationToken);

    public Task<ItemRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => inner.DeleteAsync(id, cancellationToken);

    public Task<bool> SetCachedFeaturesAsync(string id, string expectedContentHash, float[]? imageFeatures, string? imageFeatureSpace,
        float[]? textFeatures, string? textFeatureSpace, CancellationToken cancellationToken = default) =>
        inner.SetCachedFeaturesAsync(id, expectedContentHash, imageFeatures, imageFeatureSpace, textFeatures, textFeatureSpace, cancellationToken);

    public Task<bool> MarkFailedAsync(string id, string reason, CancellationToken cancellationToken = default) => inner.MarkFailedAsync(id, reason, cancellationToken);

    public Task<IReadOnlyDictionary<ItemState, long>> CountByStateAsync(CancellationToken cancellationToken = default) => inner.CountByStateAsync(cancellationToken);

    public Task<LabelCounts> CountLabelsAsync(CancellationToken cancellationToken = default) => inner.CountLabelsAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ListIdsAsync(string? afterId, int limit, CancellationToken cancellationToken = default) =>
        inner.ListIdsAsync(afterId, limit, cancellationToken);

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
