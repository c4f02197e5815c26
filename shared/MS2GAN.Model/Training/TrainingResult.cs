using MS2GAN.Model.Evaluation;
using MS2GAN.Model.Network;

namespace MS2GAN.Model.Training;

/// <summary>The outcome of a training run: the network as it was at its best validation epoch and how it got there.</summary>
/// <param name="Network">The network at its best epoch (the caller disposes it).</param>
/// <param name="ImageNormalizer">Image input normalisation fitted on the fit items.</param>
/// <param name="TextNormalizer">Text input normalisation fitted on the fit items.</param>
/// <param name="History">One report per epoch run.</param>
/// <param name="BestEpoch">The epoch with the best validation mAP, whose weights <paramref name="Network"/> holds.</param>
/// <param name="Validation">Validation mAP with the weights chosen on it, and the ablation.</param>
/// <param name="FitItems">Pairs trained on.</param>
/// <param name="ValidationItems">Pairs held out for validation.</param>
/// <param name="Duration">Wall-clock training time.</param>
public sealed record TrainingResult(
    Ms2GanNetwork Network,
    FeatureNormalizer ImageNormalizer,
    FeatureNormalizer TextNormalizer,
    IReadOnlyList<EpochReport> History,
    int BestEpoch,
    RetrievalReport Validation,
    int FitItems,
    int ValidationItems,
    TimeSpan Duration)
{
    /// <summary>Epochs run: the cap, or fewer when early stopping ended the run.</summary>
    public int EpochsRun { get; init; } = History.Count;
}
