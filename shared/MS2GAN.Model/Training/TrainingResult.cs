using MS2GAN.Model.Evaluation;
using MS2GAN.Model.Network;

namespace MS2GAN.Model.Training;

/// <summary>The outcome of a training run: the network as it was at its best validation epoch and how it got there.</summary>
public sealed record TrainingResult(
    Ms2GanNetwork Network,
    FeatureNormalizer ImageNormalizer,
    FeatureNormalizer TextNormalizer,
    IReadOnlyList<EpochReport> History,
    int BestEpoch,
    RetrievalReport Validation,
    int FitItems,
    int ValidationItems,
    TimeSpan Duration);
