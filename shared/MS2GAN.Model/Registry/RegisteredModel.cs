namespace MS2GAN.Model.Registry;

/// <summary>One model version in the registry.</summary>
public sealed record RegisteredModel
{
    /// <summary>Version id from the model's manifest.</summary>
    public required string Version { get; init; }

    /// <summary>The model folder: relative to the registry's root when inside it, absolute otherwise.</summary>
    public required string Directory { get; init; }

    /// <summary>Where the version stands.</summary>
    public required ModelStage Stage { get; init; }

    /// <summary>When the version was registered.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>Who asked for it (a user name, "scheduler", "seed" for the configured model).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Joint mAP (average of both directions) of this version on the gate's holdout items.</summary>
    public double? HoldoutMap { get; init; }

    /// <summary>Joint mAP of the version active at the time, on the same holdout items.</summary>
    public double? BaselineMap { get; init; }

    /// <summary>
    /// The folder (as <see cref="Directory"/>) of the model that passed the quality gate, when the served model is its refit
    /// on every labelled item, the gate's holdout included: the next retrain's candidate is compared with this one, which
    /// never trained on the holdout, so the comparison stays fair. Null when the served model is the one the gate judged.
    /// </summary>
    public string? GateDirectory { get; init; }

    /// <summary>Why it was rejected, when <see cref="Stage"/> is <see cref="ModelStage.Rejected"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>When the version last became active.</summary>
    public DateTimeOffset? ActivatedAt { get; init; }

    /// <summary>When the version last stopped being active (its index stopped receiving writes).</summary>
    public DateTimeOffset? DeactivatedAt { get; init; }
}
