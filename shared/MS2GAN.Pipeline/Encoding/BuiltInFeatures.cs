using MS2GAN.Features.Backbones;
using MS2GAN.Model.Artifacts;

namespace MS2GAN.Pipeline;

/// <summary>
/// The feature space of the built-in backbones (ResNet18 images, all-MiniLM-L6-v2 texts): where items' base features are
/// computed and cached while no model is active yet, and where the first retrain trains the first model.
/// </summary>
public static class BuiltInFeatures
{
    /// <summary>Width of ResNet18's pooled features.</summary>
    public const int ImageDim = 512;

    /// <summary>Width of all-MiniLM-L6-v2's sentence embeddings.</summary>
    public const int TextDim = 384;

    /// <summary>ResNet18 512-d image features and MiniLM 384-d text features.</summary>
    public static FeatureSpace Space { get; } = new(BackboneNames.ResNet18, ImageDim, BackboneNames.MiniLm, TextDim);
}
