using MS2GAN.Model.Export;
using MS2GAN.Model.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MS2GAN.Model.Network;

/// <summary>The features one forward pass produces for a batch of pairs.</summary>
/// <param name="ImageSpecific">S_I.</param>
/// <param name="TextSpecific">S_T.</param>
/// <param name="ImageShared">C_I = common(S_I), or common(P_I(x)) with <see cref="Ms2GanConfig.SharedInput"/> features.</param>
/// <param name="TextShared">C_T = common(S_T), or common(P_T(x)).</param>
public sealed record Ms2GanOutputs(Tensor ImageSpecific, Tensor TextSpecific, Tensor ImageShared, Tensor TextShared);

/// <summary>
/// The MS2GAN generator: an image-specific and a text-specific sub-network, one common sub-network with
/// a single set of weights applied to both modalities' specific features, and label classifiers on the
/// specific and on the shared features. The modality discriminator is a separate module
/// (<see cref="ModalityDiscriminator"/>) because it has its own optimiser.
/// </summary>
public sealed class Ms2GanNetwork : nn.Module
{
    private readonly Mlp _imageSpecific;
    private readonly Mlp _textSpecific;
    private readonly Mlp _common;
    private readonly Mlp? _imageSharedInput;
    private readonly Mlp? _textSharedInput;
    private readonly Linear _specificClassifier;
    private readonly Linear _sharedClassifier;

    /// <summary>Builds the generator for the given input widths and class count.</summary>
    public Ms2GanNetwork(int imageDim, int textDim, int classCount, Ms2GanConfig config) : base("ms2gan")
    {
        var activation = Mlp.ParseActivation(config.Activation);
        _imageSpecific = new Mlp("image_specific", imageDim, config.SpecificHidden, config.SpecificDim, activation, config.Dropout);
        _textSpecific = new Mlp("text_specific", textDim, config.SpecificHidden, config.SpecificDim, activation, config.Dropout);
        _common = new Mlp("common", config.SpecificDim, config.CommonHidden, config.SharedDim, activation, config.Dropout);
        if (config.SharedInput == "features")
        {
            _imageSharedInput = new Mlp("image_shared_input", imageDim, config.SpecificHidden, config.SpecificDim, activation, config.Dropout);
            _textSharedInput = new Mlp("text_shared_input", textDim, config.SpecificHidden, config.SpecificDim, activation, config.Dropout);
        }

        _specificClassifier = nn.Linear(config.SpecificDim, classCount);
        _sharedClassifier = nn.Linear(config.SharedDim, classCount);
        ImageDim = imageDim;
        TextDim = textDim;
        ClassCount = classCount;
        RegisterComponents();
    }

    /// <summary>Width of the image base features.</summary>
    public int ImageDim { get; }

    /// <summary>Width of the text base features.</summary>
    public int TextDim { get; }

    /// <summary>Number of label classes.</summary>
    public int ClassCount { get; }

    /// <summary>Runs both modalities through their specific networks and the common network.</summary>
    public Ms2GanOutputs Forward(Tensor image, Tensor text)
    {
        var (imageSpecific, imageShared) = Encode("image", image);
        var (textSpecific, textShared) = Encode("text", text);
        return new Ms2GanOutputs(imageSpecific, textSpecific, imageShared, textShared);
    }

    /// <summary>Encodes one modality: (specific, shared).</summary>
    public (Tensor Specific, Tensor Shared) Encode(string modality, Tensor features)
    {
        var (specificNet, sharedInput) = modality switch
        {
            "image" => (_imageSpecific, _imageSharedInput),
            "text" => (_textSpecific, _textSharedInput),
            _ => throw new ArgumentException($"unknown modality {modality}", nameof(modality)),
        };
        var specific = specificNet.forward(features);
        return (specific, _common.forward(sharedInput?.forward(features) ?? specific));
    }

    /// <summary>Class logits from specific features (one classifier for both modalities).</summary>
    public Tensor ClassifySpecific(Tensor specific) => _specificClassifier.forward(specific);

    /// <summary>Class logits from shared features.</summary>
    public Tensor ClassifyShared(Tensor shared) => _sharedClassifier.forward(shared);

    /// <summary>
    /// Class probabilities of items from their specific and shared features: the mean of the softmax of the
    /// specific classifier and that of the shared classifier.
    /// </summary>
    public Tensor Probabilities(Tensor specific, Tensor shared) =>
        (nn.functional.softmax(ClassifySpecific(specific), 1) + nn.functional.softmax(ClassifyShared(shared), 1)) / 2;

    /// <summary>The encoder of one modality as plain arrays, with the input normalisation to bake in and the label head.</summary>
    public EncoderSpec ToEncoderSpec(string modality, FeatureNormalizer normalizer) => new(
        modality,
        normalizer.Mean,
        normalizer.Scale,
        (modality == "image" ? _imageSpecific : _textSpecific).ToDenseLayers(),
        _common.ToDenseLayers(),
        new LabelHead(Mlp.ToDenseLayer(_specificClassifier, Activation.None), Mlp.ToDenseLayer(_sharedClassifier, Activation.None)),
        normalizer.Power,
        (modality == "image" ? _imageSharedInput : _textSharedInput)?.ToDenseLayers());
}
