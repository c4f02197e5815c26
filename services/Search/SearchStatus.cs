using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Evaluation;

namespace MS2GAN.Search;

/// <summary>
/// GET /v1/search/status, the web page's status view: items by state (those "ingested" are waiting for the encoder),
/// the index searches read, the active model and its metrics, and the reindex in progress.
/// </summary>
/// <param name="Items">How many items are in each state: ingested, indexed, failed.</param>
/// <param name="Index">The physical index behind the alias; null before anything was indexed.</param>
/// <param name="IndexModelVersion">The model version whose vectors that index holds (the one queries are encoded with).</param>
/// <param name="Model">The active model; null when none is registered.</param>
/// <param name="Previous">The version kept for rollback.</param>
/// <param name="Reindex">The reindex in progress, or null.</param>
public sealed record SearchStatus(
    IReadOnlyDictionary<string, long> Items, string? Index, string? IndexModelVersion, ModelStatus? Model, string? Previous, ReindexProgress? Reindex);

/// <summary>The active model as the status view shows it.</summary>
/// <param name="Version">Its version id.</param>
/// <param name="CreatedUtc">When it was trained.</param>
/// <param name="ClassNames">The classes it was trained on, when its dataset named them (the page offers them as label filters).</param>
/// <param name="DefaultWeights">The weights a search uses when it gives none.</param>
/// <param name="Metrics">Its validation and test mAP, joint and the shared / specific ablation, from its manifest.</param>
/// <param name="HoldoutMap">Its joint mAP on the quality gate's holdout items, when the trainer measured it.</param>
/// <param name="BaselineMap">The joint mAP of the version it replaced, on the same items.</param>
public sealed record ModelStatus(
    string Version, DateTimeOffset CreatedUtc, IReadOnlyList<string>? ClassNames, RetrievalWeights DefaultWeights, ModelMetrics Metrics,
    double? HoldoutMap, double? BaselineMap);

/// <summary>A reindex in progress: items scanned of the total, rate and the estimated time left.</summary>
public sealed record ReindexProgress(string Kind, string Version, string? FromVersion, long Done, long Total, double ItemsPerSecond, double? RemainingSeconds);
