namespace MS2GAN.Contracts;

/// <summary>
/// Command to the trainer: train a new model on the labelled items, evaluate it against the active model on the
/// same holdout items and promote it (reindex, then swap the alias) if it passes the quality gate. Sent by
/// `ms2gan retrain`, the admin endpoint and the schedule. Commands run one at a time; a second one waits.
/// </summary>
/// <param name="RequestedBy">Who asked (a user name, "scheduler", ...), for the log and the registry.</param>
/// <param name="Epochs">The most epochs to train (validation chooses how many, up to this); null keeps the configuration's.</param>
/// <param name="ConfigJson">
/// Training configuration fields (JSON, camelCase, as for <c>ms2gan train --config</c>) put over the project's defaults (or
/// the named <paramref name="Configuration"/>); never over the active model's configuration. Null changes nothing.
/// </param>
/// <param name="Labels">Train only on items carrying one of these labels; null or empty uses every labelled item.</param>
/// <param name="RequestId">Identifies the command in the events and the registry's outcomes.</param>
/// <param name="Tolerance">
/// The quality gate's tolerance for this command (0 to 1) instead of the configured one: how far below the active
/// model's holdout mAP the candidate may score and still be promoted.
/// </param>
/// <param name="Configuration">A named configuration the project ships instead of its defaults; null for the defaults.</param>
public sealed record RetrainModel(
    string RequestedBy,
    int? Epochs = null,
    string? ConfigJson = null,
    IReadOnlyList<string>? Labels = null,
    Guid? RequestId = null,
    double? Tolerance = null,
    string? Configuration = null);
