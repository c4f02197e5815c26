namespace MS2GAN.Integration.Tests;

/// <summary>A feature-mode item: pre-extracted image and text features and one class label.</summary>
public sealed record FeatureItem(string Id, float[] ImageFeatures, float[] TextFeatures, string Label);
