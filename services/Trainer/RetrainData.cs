using MS2GAN.Features.Data;

namespace MS2GAN.Trainer;

/// <summary>The labelled items of a retrain, read once.</summary>
/// <param name="gate">Training items and the held-out items of the quality gate (its test split).</param>
/// <param name="all">Every item, the held-out ones included, as training items: built on first use.</param>
public sealed class RetrainData(FeatureDataset gate, Lazy<FeatureDataset> all)
{
    /// <summary>Training items and the held-out items of the quality gate (its test split).</summary>
    public FeatureDataset Gate { get; } = gate;

    /// <summary>Every item, the held-out ones included, as training items (no test split): what a model that passed the gate is refit on.</summary>
    public FeatureDataset All => all.Value;
}
