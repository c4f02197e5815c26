namespace MS2GAN.Features.Backbones;

/// <summary>
/// Names of the built-in backbones, used as feature-space names: a model records the names of the
/// backbones its base features came from, and items or queries from another space are refused.
/// </summary>
public static class BackboneNames
{
    /// <summary>ResNet18 image features (512-d), see <see cref="ResNet18Backbone"/>.</summary>
    public const string ResNet18 = "resnet18";

    /// <summary>all-MiniLM-L6-v2 sentence embeddings (384-d), see <see cref="MiniLmBackbone"/>.</summary>
    public const string MiniLm = "all-MiniLM-L6-v2";
}
