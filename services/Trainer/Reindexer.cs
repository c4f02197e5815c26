using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using MS2GAN.Contracts;
using MS2GAN.Model.Inference;
using MS2GAN.Model.Registry;
using MS2GAN.Pipeline;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Trainer;

/// <summary>
/// Builds a version's index from the items' cached base features (no image is decoded again) and swaps the alias to
/// it when complete. The registry's <see cref="ReindexState"/> says what to build and holds the checkpoint, written
/// after every page, so a crash resumes where it stopped. Items ingested meanwhile are written by the encoders to
/// both indexes (they read the registry), so none is missed; the previous index is kept for rollback and older ones
/// are deleted.
/// </summary>
public sealed class Reindexer(
    IItemStore items,
    IVectorStore vectors,
    ModelCatalog catalog,
    ItemVectorizer vectorizer,
    IPublishEndpoint events,
    IOptions<LifecycleOptions> options,
    Ms2GanMetrics metrics,
    ILogger<Reindexer> logger)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    /// <summary>Runs the reindex the registry holds, if any, to its end; returns the completion event, or null when there was none.</summary>
    public async Task<ReindexCompleted?> ResumeAsync(CancellationToken cancellationToken)
    {
        var state = catalog.Registry.Read().Reindex;
        if (state is null)
        {
            return null;
        }
        var target = catalog.Get(state.Version);
        var manifest = target.Model.Manifest;
        await vectors.CreateIndexAsync(new IndexDefinition(state.IndexName, manifest.SpecificDim, manifest.SharedDim, state.Version), cancellationToken);
        logger.LogInformation("Reindex ({Kind}) into {Index} with model {Version}: {Done} of {Total} items done, resuming after {AfterId}",
            state.Kind, state.IndexName, state.Version, state.Done, state.Total, state.AfterId ?? "(start)");

        metrics.Reindexed(0, state.Done, state.Total);
        var sincePublish = Stopwatch.StartNew();
        while (true)
        {
            var page = await items.ListAsync(null, state.AfterId, options.Value.ReindexBatchSize, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }
            var chosen = page.Where(item => item.State != ItemState.Failed && (state.ChangedSince is not { } since || item.UpdatedAt >= since)).ToList();
            var (records, autoLabels) = await EncodeAsync(target, chosen, cancellationToken);
            if (records.Count > 0)
            {
                await vectors.UpsertAsync(state.IndexName, records, cancellationToken);
                var written = records.Select(record => record.ItemId).ToHashSet();
                // The items' auto-labels become the new version's (none for an item it does not predict one for); the
                // reconciliation below writes those of items replaced meanwhile again.
                await items.SetAutoLabelsAsync(written, autoLabels, cancellationToken);
                await ReconcileAsync(target, state.IndexName, chosen, cancellationToken);
                // Items no model had indexed yet (kept while none was active) are this version's from now on.
                var waiting = chosen.Where(item => item.State == ItemState.Ingested && written.Contains(item.Id)).Select(item => item.Id).ToList();
                if (waiting.Count > 0)
                {
                    await items.MarkIndexedAsync(waiting, state.Version, cancellationToken);
                }
            }
            var done = state.Done + page.Count;
            var checkpoint = state with { AfterId = page[^1].Id, Done = done, Total = Math.Max(state.Total, done), UpdatedAt = DateTimeOffset.UtcNow };
            catalog.Registry.Update(s => s with { Reindex = checkpoint });
            state = checkpoint;
            metrics.Reindexed(page.Count, state.Done, state.Total);
            if (sincePublish.Elapsed >= ProgressEvery)
            {
                sincePublish.Restart();
                await events.Publish(Progress(state), cancellationToken);
            }
        }
        // Finished: the total was counted at the start, and items deleted meanwhile were never read.
        metrics.Reindexed(0, state.Done, state.Done);
        await events.Publish(Progress(state), cancellationToken);
        return await SwapAsync(state, cancellationToken);
    }

    private static ReindexProgressed Progress(ReindexState state) =>
        new(state.Version, state.Done, state.Total, Math.Round(state.ItemsPerSecond, 1), state.Remaining?.TotalSeconds);

    private async Task<ReindexCompleted> SwapAsync(ReindexState state, CancellationToken cancellationToken)
    {
        await vectors.SetAliasAsync(ModelCatalog.Alias, state.IndexName, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var retired = new List<RegisteredModel>();
        catalog.Registry.Update(registry =>
        {
            var models = registry.Models.Select(m =>
                m.Version == state.Version ? m with { Stage = ModelStage.Active, ActivatedAt = now }
                : m.Version == state.FromVersion ? m with { Stage = ModelStage.Previous, DeactivatedAt = now }
                : m).ToList();
            retired.Clear();
            foreach (var old in models.Where(m => m.Stage == ModelStage.Previous).OrderByDescending(m => m.DeactivatedAt).Skip(options.Value.KeepPreviousVersions).ToList())
            {
                retired.Add(old);
                models[models.IndexOf(old)] = old with { Stage = ModelStage.Retired };
            }
            var outcome = new LifecycleOutcome(state.Kind == "rollback" ? "rollback" : "retrain", state.RequestId,
                state.Kind == "rollback" ? "rolled-back" : "promoted", state.Version, null, now);
            return (registry with { Active = state.Version, Reindex = null, Models = models }).With(outcome);
        });
        foreach (var old in retired)
        {
            await vectors.DeleteIndexAsync(ServedModel.IndexNameFor(old.Version), cancellationToken);
            foreach (var folder in new[] { old.Directory, old.GateDirectory }.OfType<string>().Select(catalog.Registry.FullPath))
            {
                if (catalog.Registry.Owns(folder) && Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            logger.LogInformation("Model {Version} retired: its index and folder are deleted", old.Version);
        }
        var seconds = (now - state.StartedAt).TotalSeconds;
        logger.LogInformation("Reindex ({Kind}) complete: {Done} items in {Seconds:F1} s ({Rate:F0} items/s); the alias {Alias} now points at {Index} (model {Version})",
            state.Kind, state.Done, seconds, state.Done / Math.Max(seconds, 1e-3), ModelCatalog.Alias, state.IndexName, state.Version);
        var completed = new ReindexCompleted(state.Version, state.FromVersion, state.IndexName, state.Kind, state.Done, Math.Round(seconds, 2), state.RequestId);
        await events.Publish(completed, cancellationToken);
        return completed;
    }

    // An item deleted or replaced while its page was encoded: the encoder may already have written the new content (or
    // removed the item) in this index, and the page's write must not undo that. Deleted items are removed again; replaced
    // items are written again from their current content.
    private async Task ReconcileAsync(ServedModel target, string indexName, List<ItemRecord> written, CancellationToken cancellationToken)
    {
        var hashes = await items.GetContentHashesAsync(written.Select(item => item.Id), cancellationToken);
        foreach (var gone in written.Where(item => !hashes.ContainsKey(item.Id)))
        {
            await vectors.DeleteItemAsync(indexName, gone.Id, cancellationToken);
        }
        var changed = written.Where(item => hashes.TryGetValue(item.Id, out var hash) && hash != item.ContentHash).Select(item => item.Id).ToList();
        if (changed.Count > 0)
        {
            foreach (var id in changed)
            {
                await vectors.DeleteItemAsync(indexName, id, cancellationToken);
            }
            var replaced = (await items.GetManyAsync(changed, cancellationToken)).ToList();
            var (records, autoLabels) = await EncodeAsync(target, replaced, cancellationToken);
            if (records.Count > 0)
            {
                await vectors.UpsertAsync(indexName, records, cancellationToken);
            }
            // The page's labels were predicted from the content these items no longer have.
            await items.SetAutoLabelsAsync(changed, autoLabels, cancellationToken);
        }
    }

    // Stored base features in the model's space only (no image is decoded again): items without them are still on their way
    // through the encoder, which writes them to this index too while the reindex runs. Items whose stored features do not
    // fit the model are marked failed with the reason, as the encoder marks them.
    private async Task<(IReadOnlyList<VectorRecord> Records, IReadOnlyDictionary<string, MS2GAN.Storage.AutoLabel> AutoLabels)> EncodeAsync(
        ServedModel target, List<ItemRecord> page, CancellationToken cancellationToken)
    {
        var features = await vectorizer.ResolveAsync(page, target.Model.Manifest.FeatureSpace, compute: false, cancellationToken);
        var encoded = vectorizer.Encode(target, features);
        foreach (var (id, reason) in encoded.Failed)
        {
            logger.LogWarning("Item {ItemId} cannot be indexed with model {Version}: {Reason}", id, target.Version, reason);
            await items.MarkFailedAsync(id, reason, cancellationToken);
        }
        return (encoded.Records, encoded.AutoLabels);
    }
}
