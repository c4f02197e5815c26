namespace MS2GAN.Model.Training;

/// <summary>What one training epoch did: mean losses over its batches and the validation mAP after it.</summary>
public sealed record EpochReport(
    int Epoch,
    int Epochs,
    double GeneratorLoss,
    double LabelLoss,
    double InterLoss,
    double IntraLoss,
    double DifferenceLoss,
    double AdversarialLoss,
    double DiscriminatorLoss,
    double ValidationMap,
    bool IsBest,
    TimeSpan Elapsed)
{
    /// <summary>Estimated time left, from the mean epoch time so far.</summary>
    public TimeSpan Remaining => Epoch == 0 ? TimeSpan.Zero : Elapsed / Epoch * (Epochs - Epoch);
}
