using System.Text.Json;

namespace MS2GAN.Trainer;

/// <summary>Body of POST /v1/admin/retrain; every field optional.</summary>
/// <param name="RequestedBy">Who asks (for the log and the registry); default "admin-api".</param>
/// <param name="Epochs">The most epochs to train (the cap of early stopping) instead of the configuration's.</param>
/// <param name="Config">Training configuration fields (camelCase) put over the project's defaults (or the named
/// <paramref name="Configuration"/>); never over the active model's configuration.</param>
/// <param name="Labels">Train only on items carrying one of these labels.</param>
/// <param name="Tolerance">The quality gate's tolerance for this retrain (0 to 1) instead of Lifecycle:Tolerance.</param>
/// <param name="Configuration">A named configuration the project ships (default, quick, v1) to start from instead of the defaults.</param>
public sealed record RetrainRequest(string? RequestedBy, int? Epochs, JsonElement? Config, IReadOnlyList<string>? Labels, double? Tolerance = null,
    string? Configuration = null);

/// <summary>Body of POST /v1/admin/rollback; optional.</summary>
/// <param name="RequestedBy">Who asks; default "admin-api".</param>
public sealed record RollbackRequest(string? RequestedBy);

/// <summary>A command was sent to the trainer; follow it on <paramref name="Status"/> (its outcome carries <paramref name="RequestId"/>).</summary>
public sealed record CommandAccepted(Guid RequestId, string Status);

/// <summary>The reindex in progress.</summary>
public sealed record ReindexStatus(string Kind, string Version, string? FromVersion, long Done, long Total, double ItemsPerSecond, double? RemainingSeconds,
    DateTimeOffset StartedAt);

/// <summary>GET /v1/admin/status: the model registry as the services see it.</summary>
public sealed record LifecycleStatus(
    string? Active,
    string? Previous,
    ReindexStatus? Reindex,
    IReadOnlyList<MS2GAN.Model.Registry.RegisteredModel> Models,
    IReadOnlyList<MS2GAN.Model.Registry.LifecycleOutcome> Outcomes);
