using MS2GAN.Features.Data;

namespace MS2GAN.Trainer;

/// <summary>The labelled items of a retrain, read once.</summary>
/// <param name="Gate">Training items and the held-out items of the quality gate (its test split).</param>
/// <param name="All">Every item, the held-out ones included, as training items (no test split): what a model that passed the gate is refit on.</param>
public sealed record RetrainData(FeatureDataset Gate, FeatureDataset All);
