using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Evaluation;

namespace MS2GAN.Model.Inference;

/// <summary>
/// A trained model as the services use it: the checked manifest and both ONNX encoders. Features that do
/// not fit the model's feature space are refused, never silently mis-encoded.
/// </summary>
public sealed class Ms2GanModel : IDisposable
{
    private Ms2GanModel(string directory, ModelManifest manifest, OnnxEncoder image, OnnxEncoder text)
    {
        Directory = directory;
        Manifest = manifest;
        Image = image;
        Text = text;
    }

    /// <summary>The model folder.</summary>
    public string Directory { get; }

    /// <summary>The model's manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The image encoder.</summary>
    public OnnxEncoder Image { get; }

    /// <summary>The text encoder.</summary>
    public OnnxEncoder Text { get; }

    /// <summary>Reads and checks a model folder and opens its encoders.</summary>
    /// <exception cref="DataFormatException">The folder, manifest or an encoder is missing or damaged.</exception>
    public static Ms2GanModel Open(string directory, OnnxSessionFactory sessions, ILoggerFactory? loggers = null)
    {
        var manifest = ModelFolder.Read(directory);
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<OnnxEncoder>();
        var image = OnnxEncoder.Open(ModelFolder.PathOf(directory, manifest, ModelRoles.ImageEncoder), sessions, logger);
        try
        {
            var text = OnnxEncoder.Open(ModelFolder.PathOf(directory, manifest, ModelRoles.TextEncoder), sessions, logger);
            return new Ms2GanModel(Path.GetFullPath(directory), manifest, image, text);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>Why features of this modality and width cannot be encoded by this model; null when they can.</summary>
    public string? Mismatch(string modality, int dim) => Manifest.FeatureSpace.Mismatch(modality, dim);

    /// <summary>Encodes base features of one modality into specific and shared vectors (unit length).</summary>
    /// <exception cref="ArgumentException">The features do not fit the model's feature space.</exception>
    public EncodedBatch Encode(string modality, FeatureMatrix features)
    {
        if (Mismatch(modality, features.Columns) is { } problem)
        {
            throw new ArgumentException(problem, nameof(features));
        }
        return (modality == "image" ? Image : Text).Encode(features);
    }

    /// <summary>Whether both encoders have the class-probability output (models trained before it do not).</summary>
    public bool PredictsLabels => Image.ClassCount == Manifest.ClassCount && Text.ClassCount == Manifest.ClassCount && Manifest.ClassCount > 0;

    /// <summary>
    /// The predicted label of each item with its confidence, from its image features, its text features or both (rows
    /// of the same items; the class probabilities of both modalities are averaged).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no probability output (trained before it was exported).</exception>
    /// <exception cref="ArgumentException">Neither modality is given, the row counts differ, or the features do not fit.</exception>
    public IReadOnlyList<LabelPrediction> PredictLabels(FeatureMatrix? image, FeatureMatrix? text)
    {
        if (!PredictsLabels)
        {
            throw new InvalidOperationException($"model {Manifest.Version} has no class-probability output; retrain it to predict labels");
        }
        if (image is null && text is null)
        {
            throw new ArgumentException("give image features, text features or both");
        }
        if (image is not null && text is not null && image.Rows != text.Rows)
        {
            throw new ArgumentException($"{image.Rows} image rows but {text.Rows} text rows: give rows of the same items");
        }
        var fromImage = image is null ? null : Encode("image", image).Probabilities!;
        var fromText = text is null ? null : Encode("text", text).Probabilities!;
        var rows = (fromImage ?? fromText)!.Rows;
        var predictions = new LabelPrediction[rows];
        for (var row = 0; row < rows; row++)
        {
            predictions[row] = LabelPrediction.Of(
                fromImage is null ? [] : fromImage.Row(row), fromText is null ? [] : fromText.Row(row), Manifest.ClassNames);
        }
        return predictions;
    }

    /// <summary>Encodes both modalities of a split.</summary>
    public EncodedSplit Encode(FeatureSplit split)
    {
        var image = Encode("image", split.Image);
        var text = Encode("text", split.Text);
        return new EncodedSplit(image.Specific, image.Shared, text.Specific, text.Shared, split.Labels);
    }

    /// <summary>Cross-modal mAP of the split with the given weights (the model's defaults when null) and the ablation.</summary>
    public RetrievalReport Evaluate(FeatureSplit split, RetrievalWeights? weights = null) =>
        new RetrievalEvaluator(Encode(split)).Report(weights ?? Manifest.DefaultWeights);

    /// <inheritdoc />
    public void Dispose()
    {
        Image.Dispose();
        Text.Dispose();
    }
}
