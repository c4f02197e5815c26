using System.ComponentModel.DataAnnotations;

namespace MS2GAN.Trainer;

/// <summary>Retraining, the quality gate and reindexing (configuration section "Lifecycle").</summary>
public sealed class LifecycleOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Lifecycle";

    /// <summary>A Quartz cron expression (seconds first, e.g. "0 0 3 ? * SUN") that sends a retrain command; null or empty: no schedule.</summary>
    public string? Schedule { get; set; }

    /// <summary>A candidate is promoted unless its holdout mAP is below the active model's by more than this.</summary>
    [Range(0.0, 1.0)]
    public double Tolerance { get; set; } = 0.01;

    /// <summary>Fewest labelled items (with both image and text features) a retrain accepts.</summary>
    [Range(10, int.MaxValue)]
    public int MinLabelledItems { get; set; } = 40;

    /// <summary>Share of the labelled items held out (by a stable hash of the id) to compare candidate and active model.</summary>
    [Range(0.05, 0.5)]
    public double HoldoutFraction { get; set; } = 0.2;

    /// <summary>Earlier versions whose index is kept for rollback; older ones are deleted.</summary>
    [Range(1, 20)]
    public int KeepPreviousVersions { get; set; } = 1;

    /// <summary>Items read, encoded and written together by a reindex.</summary>
    [Range(1, 10_000)]
    public int ReindexBatchSize { get; set; } = 1000;
}
