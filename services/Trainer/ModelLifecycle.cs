using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using MS2GAN.Contracts;
using MS2GAN.Features.Common;
using MS2GAN.Features.Data;
using MS2GAN.Model;
using MS2GAN.Model.Inference;
using MS2GAN.Model.Registry;
using MS2GAN.Model.Training;
using MS2GAN.Pipeline;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Trainer;

/// <summary>
/// Retrain and rollback, one at a time (a second command waits for the first): train a candidate on the labelled
/// items, compare it with the active model on the same holdout items, and promote it (reindex, alias swap) or
/// reject it with the reason; or bring the previous version back. A reindex interrupted by a crash is finished
/// before anything else starts. Every refusal leaves the active model untouched and is published as
/// <see cref="ModelRejected"/>.
/// </summary>
public sealed class ModelLifecycle(
    IItemStore items,
    IVectorStore vectors,
    ModelCatalog catalog,
    Reindexer reindexer,
    IPublishEndpoint events,
    IOptions<LifecycleOptions> options,
    ILogger<ModelLifecycle> logger)
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Whether a retrain, rollback or resumed reindex is running now.</summary>
    public bool Busy => _turn.CurrentCount == 0;

    /// <summary>
    /// Makes sure searches have an index to read: the active version's index exists and, when the alias points nowhere yet
    /// (the first start), the alias points at it. No-op while no model is active. A promotion or rollback moves the alias
    /// later (<see cref="Reindexer"/>); nothing else does.
    /// </summary>
    public async Task ServeActiveIndexAsync(CancellationToken cancellationToken)
    {
        if (catalog.Registry.Read().Active is null)
        {
            return;
        }
        var active = catalog.Active;
        var manifest = active.Model.Manifest;
        await vectors.CreateIndexAsync(new IndexDefinition(active.IndexName, manifest.SpecificDim, manifest.SharedDim, active.Version), cancellationToken);
        if (await vectors.GetAliasAsync(ModelCatalog.Alias, cancellationToken) is null)
        {
            await vectors.SetAliasAsync(ModelCatalog.Alias, active.IndexName, cancellationToken);
            logger.LogInformation("Searches read {Index} (model {Version}) through the alias {Alias}", active.IndexName, active.Version, ModelCatalog.Alias);
        }
    }

    /// <summary>Finishes a reindex left by a crash (no-op when there is none).</summary>
    public Task<ReindexCompleted?> ResumeAsync(CancellationToken cancellationToken) =>
        InTurnAsync("resume", () => reindexer.ResumeAsync(cancellationToken), cancellationToken);

    /// <summary>Runs a retrain command to its end; returns how it ended (also recorded in the registry).</summary>
    public Task<LifecycleOutcome> RetrainAsync(RetrainModel command, CancellationToken cancellationToken) =>
        InTurnAsync("retrain", () => GuardedAsync("retrain", command.RequestedBy, command.RequestId, () => RetrainInTurnAsync(command, cancellationToken), cancellationToken),
            cancellationToken);

    /// <summary>Runs a rollback command to its end; returns how it ended.</summary>
    public Task<LifecycleOutcome> RollbackAsync(RollbackModel command, CancellationToken cancellationToken) =>
        InTurnAsync("rollback", () => GuardedAsync("rollback", command.RequestedBy, command.RequestId, () => RollbackInTurnAsync(command, cancellationToken), cancellationToken),
            cancellationToken);

    private async Task<T> InTurnAsync<T>(string what, Func<Task<T>> run, CancellationToken cancellationToken)
    {
        if (!await _turn.WaitAsync(0, cancellationToken))
        {
            logger.LogInformation("A {What} waits for the lifecycle operation in progress to finish", what);
            await _turn.WaitAsync(cancellationToken);
        }
        try
        {
            return await run();
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<LifecycleOutcome> GuardedAsync(string kind, string requestedBy, Guid? requestId, Func<Task<LifecycleOutcome>> run,
        CancellationToken cancellationToken)
    {
        try
        {
            // A reindex a crash interrupted comes first: never two reindexes racing.
            await reindexer.ResumeAsync(cancellationToken);
            return await run();
        }
        catch (LifecycleRejection ex)
        {
            return await RejectAsync(kind, null, ex.Message, requestedBy, requestId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The {Kind} requested by {RequestedBy} failed", kind, requestedBy);
            var reason = $"{kind} failed: {ex.Message}";
            await events.Publish(new ModelRejected(null, reason, requestedBy, requestId), cancellationToken);
            var outcome = new LifecycleOutcome(kind, requestId, "failed", null, reason, DateTimeOffset.UtcNow);
            catalog.Registry.Update(s => s.With(outcome));
            return outcome;
        }
    }

    private async Task<LifecycleOutcome> RetrainInTurnAsync(RetrainModel command, CancellationToken cancellationToken)
    {
        // The first retrain of a pipeline started on its own content has no model to compare with: it trains in the
        // built-in backbones' space, where the encoder has been caching the items' features.
        var current = catalog.ActiveOrNone;
        var config = RetrainOverrides.Apply(command.Configuration, command.ConfigJson, command.Epochs);
        var tolerance = RetrainOverrides.Tolerance(command.Tolerance, options.Value.Tolerance);
        var space = current?.Model.Manifest.FeatureSpace ?? BuiltInFeatures.Space;
        var data = await TrainingDataLoader.LoadAsync(items, space, command.Labels, options.Value, cancellationToken);
        var dataset = data.Gate;
        logger.LogInformation("Retrain requested by {RequestedBy}: {Train} items to train on, {Holdout} held out, {Classes} classes, at most {Epochs} epochs",
            command.RequestedBy, dataset.Train.Count, dataset.Test.Count, dataset.ClassCount, config.Epochs);

        // The gate's candidate never sees the holdout: selection (the epoch count, the retrieval weights) and its training
        // use the other items only.
        var folder = catalog.Registry.NewModelFolder();
        var started = Stopwatch.GetTimestamp();
        var progress = new SynchronousProgress<EpochReport>(e =>
        {
            if (e.Epoch == e.Epochs || e.Epoch % 10 == 0)
            {
                logger.LogInformation("Training epoch {Epoch}/{Epochs}: loss {Loss:F3}, validation mAP {Map:F4}", e.Epoch, e.Epochs, e.GeneratorLoss, e.ValidationMap);
            }
        });
        var builder = new Ms2GanModelBuilder(logger);
        var judged = await Task.Run(() => builder.Build(dataset, config, folder, progress: progress, cancellation: cancellationToken), cancellationToken);

        double candidateMap;
        using (var candidate = catalog.Open(folder))
        {
            candidateMap = candidate.Model.Evaluate(dataset.Test).Joint.Avg;
        }
        var baselineMap = BaselineMap(current, dataset);
        logger.LogInformation("Candidate {Version}: holdout mAP {Candidate:F4} against {Baseline} for the active model {Active}",
            judged.Version, candidateMap, baselineMap?.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) ?? "nothing (the first model)",
            current?.Version ?? "(none)");
        if (current is not null && candidateMap < baselineMap - tolerance)
        {
            var reason = $"the candidate's holdout mAP {candidateMap:F4} is below the active model's {baselineMap:F4} ({current.Version}) " +
                         $"by more than the tolerance {tolerance:0.####}";
            var rejected = Entry(judged.Version, folder, null, command.RequestedBy, candidateMap, baselineMap) with { Stage = ModelStage.Rejected, Reason = reason };
            Register(rejected, folder);
            await PublishTrainedAsync(rejected, current.Version, dataset, started, command.RequestId, cancellationToken);
            // Its folder goes; the registry keeps the entry, its figures and the reason.
            Directory.Delete(folder, recursive: true);
            return await RejectAsync("retrain", judged.Version, reason, command.RequestedBy, command.RequestId, cancellationToken);
        }

        // Passed: the served model learns from the held-out items too. Refit on every item with what selection chose; the
        // judged model is kept beside it for the next gate (GateDirectory).
        var manifest = judged;
        var servedFolder = folder;
        string? gateFolder = null;
        if (config.Refit)
        {
            servedFolder = catalog.Registry.NewModelFolder();
            logger.LogInformation("Candidate {Version} passed the gate; refitting on all {Count} labelled items (the {Holdout} held out included)",
                judged.Version, data.All.Train.Count, dataset.Test.Count);
            manifest = await Task.Run(() => builder.Refit(data.All, judged, servedFolder, cancellation: cancellationToken), cancellationToken);
            gateFolder = folder;
        }
        var entry = Entry(manifest.Version, servedFolder, gateFolder, command.RequestedBy, candidateMap, baselineMap);
        Register(entry, servedFolder);
        await PublishTrainedAsync(entry, current?.Version, dataset, started, command.RequestId, cancellationToken);

        var total = await CountItemsAsync(cancellationToken);
        var indexName = ServedModel.IndexNameFor(manifest.Version);
        catalog.Registry.Update(s => s.With(entry with { Stage = ModelStage.Promoting }) with
        {
            Reindex = new ReindexState
            {
                Kind = "promote", Version = manifest.Version, IndexName = indexName, FromVersion = current?.Version,
                RequestedBy = command.RequestedBy, RequestId = command.RequestId, Total = total, StartedAt = DateTimeOffset.UtcNow,
            },
        });
        await events.Publish(new ModelPromoted(manifest.Version, servedFolder, indexName, command.RequestId), cancellationToken);
        await reindexer.ResumeAsync(cancellationToken);
        return catalog.Registry.Read().Outcomes[^1];
    }

    // ModelTrained for a registered candidate, passed or rejected: its figures, the split it was judged on, the time taken.
    private Task PublishTrainedAsync(
        RegisteredModel candidate, string? previous, FeatureDataset dataset, long started, Guid? requestId, CancellationToken cancellationToken) =>
        events.Publish(new ModelTrained(candidate.Version, previous, candidate.HoldoutMap!.Value, candidate.BaselineMap,
            dataset.Train.Count, dataset.Test.Count, Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 2), requestId), cancellationToken);

    // The active model's holdout mAP, the gate's bar. When the active model was refit on every item, the holdout included,
    // the model it was refit from (which never saw the holdout) is scored instead: both sides are judged on unseen items.
    private double? BaselineMap(ServedModel? current, FeatureDataset dataset)
    {
        if (current is null)
        {
            return null;
        }
        var gate = catalog.Registry.Read().Find(current.Version)?.GateDirectory is { } relative ? catalog.Registry.FullPath(relative) : null;
        if (gate is null || !Directory.Exists(gate))
        {
            return current.Model.Evaluate(dataset.Test).Joint.Avg;
        }
        using var judged = catalog.Open(gate);
        return judged.Model.Evaluate(dataset.Test).Joint.Avg;
    }

    private RegisteredModel Entry(string version, string folder, string? gateFolder, string? requestedBy, double holdoutMap, double? baselineMap) => new()
    {
        Version = version,
        Directory = catalog.Registry.Relative(folder),
        GateDirectory = gateFolder is null ? null : catalog.Registry.Relative(gateFolder),
        Stage = ModelStage.Candidate,
        RegisteredAt = DateTimeOffset.UtcNow,
        RequestedBy = requestedBy,
        HoldoutMap = Math.Round(holdoutMap, 6),
        BaselineMap = baselineMap is { } baseline ? Math.Round(baseline, 6) : null,
    };

    // A new version never replaces an entry: an active or kept version under the same name would be overwritten.
    private void Register(RegisteredModel entry, string folder) =>
        catalog.Registry.Update(s => s.Find(entry.Version) is null
            ? s.With(entry)
            : throw new InvalidOperationException($"a model version {entry.Version} is already registered; the candidate in {folder} is not"));

    private async Task<LifecycleOutcome> RollbackInTurnAsync(RollbackModel command, CancellationToken cancellationToken)
    {
        var state = catalog.Registry.Read();
        var previous = state.Previous ?? throw new LifecycleRejection("there is no previous model version to roll back to");
        var indexName = ServedModel.IndexNameFor(previous.Version);
        if (await vectors.GetIndexAsync(indexName, cancellationToken) is null)
        {
            throw new LifecycleRejection($"the previous version {previous.Version} has no index ({indexName}) to roll back to");
        }
        // Loaded before anything changes: a version whose folder cannot be opened is refused here, not half-way.
        catalog.Get(previous.Version);
        // The previous index stopped receiving writes when it was deactivated: items changed since are brought up to date
        // (a minute's margin for encoders that were mid-batch then), the rest is as it was.
        var since = (previous.DeactivatedAt ?? DateTimeOffset.MinValue.AddMinutes(1)).AddMinutes(-1);
        var total = await CountItemsAsync(cancellationToken);
        catalog.Registry.Update(s => s with
        {
            Reindex = new ReindexState
            {
                Kind = "rollback", Version = previous.Version, IndexName = indexName, FromVersion = state.Active!,
                RequestedBy = command.RequestedBy, RequestId = command.RequestId, ChangedSince = since,
                Total = total, StartedAt = DateTimeOffset.UtcNow,
            },
        });
        logger.LogInformation("Rollback requested by {RequestedBy}: from {Active} back to {Previous}", command.RequestedBy, state.Active, previous.Version);
        await reindexer.ResumeAsync(cancellationToken);
        return catalog.Registry.Read().Outcomes[^1];
    }

    private async Task<long> CountItemsAsync(CancellationToken cancellationToken) =>
        (await items.CountByStateAsync(cancellationToken)).Values.Sum();

    private async Task<LifecycleOutcome> RejectAsync(string kind, string? version, string reason, string requestedBy, Guid? requestId,
        CancellationToken cancellationToken)
    {
        logger.LogWarning("The {Kind} requested by {RequestedBy} was rejected: {Reason}", kind, requestedBy, reason);
        await events.Publish(new ModelRejected(version, reason, requestedBy, requestId), cancellationToken);
        var outcome = new LifecycleOutcome(kind, requestId, "rejected", version, reason, DateTimeOffset.UtcNow);
        catalog.Registry.Update(s => s.With(outcome));
        return outcome;
    }
}
