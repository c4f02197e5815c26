using MS2GAN.Model.Network;

namespace MS2GAN.Model.Training;

/// <summary>A network trained on every item it was given for a fixed number of epochs (no validation split): a refit.</summary>
/// <param name="Network">The network after the last epoch.</param>
/// <param name="ImageNormalizer">Image input normalisation fitted on all the items.</param>
/// <param name="TextNormalizer">Text input normalisation fitted on all the items.</param>
/// <param name="History">One report per epoch (validation mAP NaN: there is none).</param>
/// <param name="Items">How many pairs it trained on.</param>
/// <param name="Duration">Wall-clock training time.</param>
public sealed record FittedNetwork(
    Ms2GanNetwork Network,
    FeatureNormalizer ImageNormalizer,
    FeatureNormalizer TextNormalizer,
    IReadOnlyList<EpochReport> History,
    int Items,
    TimeSpan Duration);
