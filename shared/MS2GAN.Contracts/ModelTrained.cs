namespace MS2GAN.Contracts;

/// <summary>A candidate model was trained and evaluated, beside the active model, on the same holdout items.</summary>
/// <param name="ModelVersion">The candidate's version id.</param>
/// <param name="BaselineVersion">The active version it was compared with; null for the first model (nothing to compare with).</param>
/// <param name="HoldoutMap">The candidate's joint mAP (mean of image-to-text and text-to-image) on the holdout items.</param>
/// <param name="BaselineMap">The baseline's joint mAP on the same items; null for the first model.</param>
/// <param name="TrainItems">Labelled items trained on.</param>
/// <param name="HoldoutItems">Labelled items held out for the gate.</param>
/// <param name="Seconds">Training time.</param>
/// <param name="RequestId">The command's request id.</param>
public sealed record ModelTrained(
    string ModelVersion,
    string? BaselineVersion,
    double HoldoutMap,
    double? BaselineMap,
    int TrainItems,
    int HoldoutItems,
    double Seconds,
    Guid? RequestId);
