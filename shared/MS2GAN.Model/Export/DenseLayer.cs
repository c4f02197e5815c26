namespace MS2GAN.Model.Export;

/// <summary>Activation applied after a dense layer. Only what ONNX has as a single operator.</summary>
public enum Activation
{
    None,
    Relu,
    LeakyRelu,
    Tanh,
    Sigmoid,
}

/// <summary>One fully connected layer y = act(x W^T + b), weights as TorchSharp's Linear stores them.</summary>
/// <param name="Weight">Row-major [OutFeatures, InFeatures].</param>
/// <param name="Bias">[OutFeatures].</param>
/// <param name="InFeatures">Input width.</param>
/// <param name="OutFeatures">Output width.</param>
/// <param name="Activation">Activation after the affine map.</param>
/// <param name="LeakySlope">Negative slope when <paramref name="Activation"/> is LeakyRelu.</param>
public sealed record DenseLayer(float[] Weight, float[] Bias, int InFeatures, int OutFeatures, Activation Activation, float LeakySlope = 0.01f);

/// <summary>
/// Everything needed to run one modality's encoder outside TorchSharp: input normalisation
/// ((p(x) - Mean) * Scale, per dimension, from the training split, p the identity or the signed square root), the modality-specific stack and the
/// common (shared) stack applied to the specific output (or to a shared input stack of its own). Both outputs are L2-normalised.
/// </summary>
/// <param name="Modality">"image" or "text".</param>
/// <param name="Mean">Per-dimension mean subtracted from the input.</param>
/// <param name="Scale">Per-dimension factor applied after the mean is subtracted.</param>
/// <param name="Specific">Layers from base features to the specific feature S.</param>
/// <param name="Common">Layers from S (or from <paramref name="SharedInput"/>'s output) to the shared feature C (the same weights for both modalities).</param>
/// <param name="Labels">The label classifiers on S and C, exported as a class-probability output; null for none.</param>
/// <param name="InputPower">1, or 0.5 for the signed square root of each input value before the mean is subtracted.</param>
/// <param name="SharedInput">Layers from the normalised input to the common stack's input; null: the common stack reads S.</param>
public sealed record EncoderSpec(string Modality, float[] Mean, float[] Scale, IReadOnlyList<DenseLayer> Specific, IReadOnlyList<DenseLayer> Common,
    LabelHead? Labels = null, double InputPower = 1, IReadOnlyList<DenseLayer>? SharedInput = null)
{
    /// <summary>Width of the base features the encoder accepts.</summary>
    public int InputDim => Mean.Length;

    /// <summary>Width of the specific output.</summary>
    public int SpecificDim => Specific[^1].OutFeatures;

    /// <summary>Width of the shared output.</summary>
    public int SharedDim => Common[^1].OutFeatures;

    /// <summary>Number of classes of the probability output; 0 without a label head.</summary>
    public int ClassCount => Labels?.ClassCount ?? 0;
}
