namespace MS2GAN.Features.Data;

/// <summary>A paired image/text dataset of precomputed features, checked by <see cref="FeatureDatasetLoader"/>.</summary>
/// <param name="Directory">The folder it was loaded from.</param>
/// <param name="Train">The training split; every class 0..ClassCount-1 has items in it.</param>
/// <param name="Test">The test split; its labels are all below <paramref name="ClassCount"/>.</param>
/// <param name="ClassCount">Largest training label + 1.</param>
/// <param name="Info">Description from <c>dataset.json</c>, or defaults.</param>
public sealed record FeatureDataset(string Directory, FeatureSplit Train, FeatureSplit Test, int ClassCount, DatasetInfo Info);
