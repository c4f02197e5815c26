using MS2GAN.Storage.Items;

namespace MS2GAN.Integration.Tests;

/// <summary>
/// The real item store, except that one call of <see cref="MarkIndexedAsync"/> throws: the encoder has then
/// written a batch's vectors but not yet marked its items indexed, the middle of a batch. Everything else
/// is passed through.
/// </summary>
public sealed class CrashingItemStore(IItemStore inner, int crashOnMarkIndexedCall) : IItemStore, IDisposable
{
    private int _markIndexedCalls;
    private IReadOnlyCollection<string> _crashedIds = [];

    /// <summary>The ids of the batch that crashed; empty until it has.</summary>
    public IReadOnlyCollection<string> CrashedIds => Volatile.Read(ref _crashedIds);

    public Task<int> MarkIndexedAsync(IReadOnlyCollection<string> ids, string modelVersion, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _markIndexedCalls) == crashOnMarkIndexedCall)
        {
            Volatile.Write(ref _crashedIds, [.. ids]);
            throw new InvalidOperationException($"simulated crash of the encoder after writing the vectors of {ids.Count} items, before marking them indexed");
        }
        return inner.MarkIndexedAsync(ids, modelVersion, cancellationToken);
    }

    public Task<UpsertOutcome> UpsertAsync(ItemRecord item, CancellationToken cancellationToken = default) =>
        inner.UpsertAsync(item, cancellationToken);

    public Task<IReadOnlyList<UpsertOutcome>> UpsertManyAsync(IReadOnlyList<ItemRecord> items, CancellationToken cancellationToken = default) =>
        inner.UpsertManyAsync(items, cancellationToken);

    public Task<ItemRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<ItemRecord>> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        inner.GetManyAsync(ids, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetContentHashesAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        inner.GetContentHashesAsync(ids, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(id, cancellationToken);

    public Task<bool> SetCachedFeaturesAsync(string id, string expectedContentHash, float[]? imageFeatures, string? imageFeatureSpace,
        float[]? textFeatures, string? textFeatureSpace, CancellationToken cancellationToken = default) =>
        inner.SetCachedFeaturesAsync(id, expectedContentHash, imageFeatures, imageFeatureSpace, textFeatures, textFeatureSpace, cancellationToken);

    public Task<bool> MarkFailedAsync(string id, string reason, CancellationToken cancellationToken = default) =>
        inner.MarkFailedAsync(id, reason, cancellationToken);

    public Task<IReadOnlyDictionary<ItemState, long>> CountByStateAsync(CancellationToken cancellationToken = default) =>
        inner.CountByStateAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ListIdsAsync(string? afterId, int limit, CancellationToken cancellationToken = default) =>
        inner.ListIdsAsync(afterId, limit, cancellationToken);

    public Task<IReadOnlyList<ItemRecord>> ListAsync(ItemState? state, string? afterId, int limit, CancellationToken cancellationToken = default) =>
        inner.ListAsync(state, afterId, limit, cancellationToken);

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
