using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using MS2GAN.Contracts;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Inference;
using MS2GAN.Pipeline;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Encoder;

/// <summary>
/// Indexes ingested items: base features from the item store or, for raw media, from the backbones (then cached, so a
/// reindex never decodes an image again), the model's encoders over the whole batch (<see cref="ItemVectorizer"/>), the
/// vectors upserted into the active version's index and, while a reindex builds another version's index, into that one
/// too (the versions are read after the features are cached, which is what lets the reindex miss nothing). An item that
/// fails is marked failed with its reason and never holds up the rest of its batch. Upserts replace by (item, modality),
/// so a redelivered message indexes the item once. The encoder writes indexes but never moves the search alias: that is
/// the trainer's.
/// </summary>
public sealed class ItemEncoder(
    IItemStore items,
    IVectorStore vectors,
    ModelCatalog catalog,
    ItemVectorizer vectorizer,
    Ms2GanMetrics metrics,
    IOptions<EncoderOptions> options,
    ILogger<ItemEncoder> logger)
{
    private readonly HashSet<string> _createdIndexes = [];

    /// <summary>
    /// Encodes the announced items in slices of at most <see cref="EncoderOptions.BatchSize"/>, records the metrics and then
    /// announces each item as <see cref="ItemIndexed"/> or <see cref="ItemIndexingFailed"/>. An entry whose content hash is
    /// no longer the item's is superseded (the item was replaced, and the newer entry follows): it is skipped. Announcements
    /// go out once every slice is done, all together: a message that fails half-way and is redelivered announces each of
    /// its items once, not the early slices twice.
    /// </summary>
    public async Task IndexAsync(IReadOnlyList<IngestedItem> ingested, IPublishEndpoint events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ingested);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var item in ingested)
        {
            metrics.QueueLagSince(item.IngestedAt);
        }
        var indexed = new List<ItemIndexed>();
        var failed = new List<ItemIndexingFailed>();
        foreach (var slice in ingested.DistinctBy(item => (item.ItemId, item.ContentHash)).Chunk(options.Value.BatchSize))
        {
            var started = Stopwatch.GetTimestamp();
            var outcome = await EncodeAsync(slice, cancellationToken);
            metrics.EncodeBatch(slice.Length, Stopwatch.GetElapsedTime(started));
            metrics.ItemsIndexed(outcome.Indexed.Count);
            if (outcome.Failed.Count > 0)
            {
                metrics.ItemsFailed("encode", outcome.Failed.Count);
            }
            var now = DateTimeOffset.UtcNow;
            indexed.AddRange(outcome.Indexed.Select(pair => new ItemIndexed(pair.Key, outcome.ModelVersion!, outcome.IndexName!, pair.Value, now)));
            failed.AddRange(outcome.Failed.Select(pair => new ItemIndexingFailed(pair.Key, pair.Value, now)));
        }
        if (indexed.Count > 0)
        {
            await events.PublishBatch(indexed, cancellationToken);
        }
        if (failed.Count > 0)
        {
            await events.PublishBatch(failed, cancellationToken);
        }
    }

    /// <summary>Encodes and indexes the given items as they are in the item store now, whatever content they were announced with.</summary>
    public Task<EncodeOutcome> EncodeAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        EncodeAsync(ids.Select(id => (id, (string?)null)).ToList(), cancellationToken);

    private Task<EncodeOutcome> EncodeAsync(IReadOnlyCollection<IngestedItem> ingested, CancellationToken cancellationToken) =>
        EncodeAsync(ingested.Select(item => (item.ItemId, (string?)item.ContentHash)).ToList(), cancellationToken);

    private async Task<EncodeOutcome> EncodeAsync(IReadOnlyList<(string Id, string? Hash)> wanted, CancellationToken cancellationToken)
    {
        // The features go into the first write target's space; while no model is active nor being built, into the built-in
        // backbones' space, where the first retrain trains the first model.
        var space = catalog.WriteTargets().FirstOrDefault()?.Model.Manifest.FeatureSpace ?? BuiltInFeatures.Space;
        var stored = await items.GetManyAsync(wanted.Select(w => w.Id).Distinct(), cancellationToken);
        var found = stored.ToDictionary(item => item.Id);
        var missing = wanted.Where(w => !found.ContainsKey(w.Id)).Select(w => w.Id).Distinct().ToList();
        var current = wanted.Where(w => w.Hash is null || (found.TryGetValue(w.Id, out var item) && item.ContentHash == w.Hash))
            .Select(w => w.Id).ToHashSet();
        var superseded = wanted.Where(w => found.ContainsKey(w.Id) && !current.Contains(w.Id)).Select(w => w.Id).Distinct().ToList();
        var records = stored.Where(item => current.Contains(item.Id)).ToList();

        var features = await vectorizer.ResolveAsync(records, space, compute: true, cancellationToken);
        await CacheComputedFeaturesAsync(features, cancellationToken);

        // Read after the features are cached: a reindex that starts later finds them in the item store.
        var targets = catalog.WriteTargets();
        if (targets.Count == 0)
        {
            // No model yet: the items wait in state ingested with their features kept, for the first retrain to index.
            foreach (var (id, reason) in features.Failed)
            {
                logger.LogWarning("Item {ItemId} could not be indexed: {Reason}", id, reason);
                await items.MarkFailedAsync(id, reason, cancellationToken);
            }
            var waiting = records.Select(r => r.Id).Where(id => !features.Failed.ContainsKey(id)).ToList();
            return new EncodeOutcome(new Dictionary<string, IReadOnlyList<string>>(), features.Failed, missing, superseded, waiting, null, null);
        }
        var primary = targets[0];
        foreach (var target in targets)
        {
            await EnsureIndexAsync(target, cancellationToken);
        }
        var encoded = vectorizer.Encode(primary, features);
        var failed = new Dictionary<string, string>(encoded.Failed);
        var written = encoded.Modalities.ToDictionary(pair => pair.Key, pair => pair.Value);
        foreach (var item in records.Where(r => !written.ContainsKey(r.Id) && !failed.ContainsKey(r.Id)))
        {
            failed[item.Id] = $"the item has nothing this model can encode (image features: {space.ImageFeatures}, text features: {space.TextFeatures})";
        }

        if (encoded.Records.Count > 0)
        {
            try
            {
                await vectors.UpsertAsync(primary.IndexName, encoded.Records, cancellationToken);
            }
            catch (VectorWriteException ex) when (ex.FailedItems.Count > 0)
            {
                // The store kept the rest and gave up on these after its own retries: they are marked failed with its
                // reason (a re-send retries them), the rest of the batch is indexed.
                foreach (var (id, reason) in ex.FailedItems.Where(pair => written.ContainsKey(pair.Key)))
                {
                    failed[id] = $"the vector store refused it: {reason}";
                    written.Remove(id);
                }
            }
            foreach (var extra in targets.Skip(1))
            {
                await WriteAlsoAsync(extra, records.Where(r => written.ContainsKey(r.Id)).ToList(), features, space, cancellationToken);
            }
            if (written.Count > 0)
            {
                await items.MarkIndexedAsync(written.Keys.ToList(), primary.Version, cancellationToken);
                await items.SetAutoLabelsAsync(written.Keys.ToList(), encoded.AutoLabels, cancellationToken);
            }
        }
        foreach (var (id, reason) in failed)
        {
            logger.LogWarning("Item {ItemId} could not be indexed: {Reason}", id, reason);
            await items.MarkFailedAsync(id, reason, cancellationToken);
        }
        if (superseded.Count > 0)
        {
            logger.LogDebug("Skipped {Count} superseded entries: their items were replaced since they were announced", superseded.Count);
        }
        return new EncodeOutcome(written, failed, missing, superseded, [], primary.Version, primary.IndexName);
    }

    // The items written to the active index, encoded with the version a reindex is building and written to its index. A
    // version of another feature space gets the features of its own space (stored ones only: the reindex computes none).
    private async Task WriteAlsoAsync(ServedModel target, List<ItemRecord> written, ItemFeatures features, FeatureSpace activeSpace,
        CancellationToken cancellationToken)
    {
        var space = target.Model.Manifest.FeatureSpace;
        var ids = written.Select(item => item.Id).ToHashSet();
        var own = space == activeSpace
            ? features with { Rows = [.. features.Rows.Where(row => ids.Contains(row.Item.Id))] }
            : await vectorizer.ResolveAsync(written, space, compute: false, cancellationToken);
        var encoded = vectorizer.Encode(target, own);
        if (encoded.Records.Count > 0)
        {
            await vectors.UpsertAsync(target.IndexName, encoded.Records, cancellationToken);
        }
    }

    private async Task CacheComputedFeaturesAsync(ItemFeatures features, CancellationToken cancellationToken)
    {
        foreach (var group in features.Rows.Where(row => row.Computed).GroupBy(row => row.Item.Id))
        {
            var item = group.First().Item;
            var image = group.FirstOrDefault(row => row.Modality == "image")?.Features;
            var text = group.FirstOrDefault(row => row.Modality == "text")?.Features;
            await items.SetCachedFeaturesAsync(item.Id, item.ContentHash,
                image ?? item.ImageFeatures, image is null ? item.ImageFeatureSpace : features.Space.ImageFeatures,
                text ?? item.TextFeatures, text is null ? item.TextFeatureSpace : features.Space.TextFeatures, cancellationToken);
        }
    }

    // The physical index of a version is created on its first write; which index searches read (the alias) is the trainer's.
    private async Task EnsureIndexAsync(ServedModel model, CancellationToken cancellationToken)
    {
        lock (_createdIndexes)
        {
            if (_createdIndexes.Contains(model.IndexName))
            {
                return;
            }
        }
        var manifest = model.Model.Manifest;
        await vectors.CreateIndexAsync(new IndexDefinition(model.IndexName, manifest.SpecificDim, manifest.SharedDim, model.Version), cancellationToken);
        lock (_createdIndexes)
        {
            _createdIndexes.Add(model.IndexName);
        }
    }
}
