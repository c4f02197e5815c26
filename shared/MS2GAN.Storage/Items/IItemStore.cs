namespace MS2GAN.Storage.Items;

/// <summary>
/// The system of record for items: content, media references, cached base features and pipeline state.
/// Implementations are safe for concurrent use.
/// </summary>
public interface IItemStore
{
    /// <summary>
    /// Records an item. The same id with the same <see cref="ItemRecord.ContentHash"/> changes nothing
    /// (<see cref="UpsertOutcome.Unchanged"/>, state kept); other content under an existing id replaces the
    /// item and resets it to <see cref="ItemState.Ingested"/> (<see cref="UpsertOutcome.Replaced"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The id is not valid (<see cref="ItemIds"/>) or the content hash is empty.</exception>
    Task<UpsertOutcome> UpsertAsync(ItemRecord item, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a batch of items in one transaction: all of them or, on an error, none. Outcomes are in the
    /// order of <paramref name="items"/>; an id given twice is upserted twice, in order.
    /// </summary>
    Task<IReadOnlyList<UpsertOutcome>> UpsertManyAsync(IReadOnlyList<ItemRecord> items, CancellationToken cancellationToken = default);

    /// <summary>The item with this id, or null.</summary>
    Task<ItemRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The items with these ids that exist, in the order of <paramref name="ids"/>, each once.</summary>
    Task<IReadOnlyList<ItemRecord>> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// The content hash of each of these items that exists (missing ids are left out): a cheap check that items are
    /// still there and unchanged, without reading their content.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> GetContentHashesAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Removes an item; false when there was none. Its media is the caller's to delete.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Caches base features computed by the backbones, so reindexing never decodes the image again. A null
    /// vector leaves that modality's cached features (and space name) as they are. Nothing is written when
    /// the item's content hash is no longer <paramref name="expectedContentHash"/>: features computed from
    /// replaced content must not be cached on the new content.
    /// </summary>
    /// <returns>True when the features were written; false when the item is gone or was replaced.</returns>
    Task<bool> SetCachedFeaturesAsync(
        string id,
        string expectedContentHash,
        float[]? imageFeatures,
        string? imageFeatureSpace,
        float[]? textFeatures,
        string? textFeatureSpace,
        CancellationToken cancellationToken = default);

    /// <summary>Marks items indexed with <paramref name="modelVersion"/> and clears any failure reason; unknown ids are skipped.</summary>
    /// <returns>How many items were marked.</returns>
    Task<int> MarkIndexedAsync(IReadOnlyCollection<string> ids, string modelVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the auto-label of each of <paramref name="ids"/>: its entry in <paramref name="autoLabels"/>, or none (a label
    /// another model predicted never outlives the encoding that replaced it). State and timestamps are left as they are;
    /// unknown ids are skipped.
    /// </summary>
    /// <returns>How many items were updated.</returns>
    Task<int> SetAutoLabelsAsync(
        IReadOnlyCollection<string> ids, IReadOnlyDictionary<string, AutoLabel> autoLabels, CancellationToken cancellationToken = default);

    /// <summary>Marks an item failed with the reason; false when there is no such item.</summary>
    Task<bool> MarkFailedAsync(string id, string reason, CancellationToken cancellationToken = default);

    /// <summary>How many items are in each state; every state is present, with zero when none.</summary>
    Task<IReadOnlyDictionary<ItemState, long>> CountByStateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The labels of the items that are not failed: how many carry at least one label, and how many carry each label
    /// (what a retrain can train on, checked before it is queued).
    /// </summary>
    Task<LabelCounts> CountLabelsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> ids greater than <paramref name="afterId"/> (ordinal order; null starts
    /// at the beginning). Keyset pagination: pass the last id of a page to get the next one; pages stay
    /// correct while items are added or removed.
    /// </summary>
    Task<IReadOnlyList<string>> ListIdsAsync(string? afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="ListIdsAsync"/>, with whole items, optionally only those in <paramref name="state"/>.</summary>
    Task<IReadOnlyList<ItemRecord>> ListAsync(ItemState? state, string? afterId, int limit, CancellationToken cancellationToken = default);
}
