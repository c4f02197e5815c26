namespace MS2GAN.Model.Artifacts;

/// <summary>The roles of the files in a model folder and their file names.</summary>
public static class ModelRoles
{
    /// <summary>ONNX encoder for image base features.</summary>
    public const string ImageEncoder = "imageEncoder";

    /// <summary>ONNX encoder for text base features.</summary>
    public const string TextEncoder = "textEncoder";

    /// <summary>TorchSharp weights of the generator (for further training).</summary>
    public const string Checkpoint = "checkpoint";

    /// <summary>PNG of the training curves.</summary>
    public const string Curves = "curves";

    /// <summary>File name for each role.</summary>
    public static IReadOnlyDictionary<string, string> FileNames { get; } = new Dictionary<string, string>
    {
        [ImageEncoder] = "image_encoder.onnx",
        [TextEncoder] = "text_encoder.onnx",
        [Checkpoint] = "generator.ts",
        [Curves] = "training_curves.png",
    };
}
