using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Model;

namespace MS2GAN.TestSupport;

/// <summary>
/// Feature-mode data for the tests that need a trained model: four classes, each a random centre per modality
/// (12-d image, 6-d text) with uniform noise, and a tiny MS2GAN trained on it in seconds.
/// </summary>
public static class SyntheticClusters
{
    public const int Classes = 4;
    public const int ImageDim = 12;
    public const int TextDim = 6;

    /// <summary>
    /// <paramref name="perClass"/> items per class, classes in turn; the same items for the same seed. Other dimensions
    /// than the default give clusters of that shape (the backbones' 512 and 384 for a model in their space).
    /// </summary>
    public static FeatureSplit Split(int perClass, int seed, int imageDim = ImageDim, int textDim = TextDim)
    {
        var centers = new Random(99);
        var imageCenters = Enumerable.Range(0, Classes).Select(_ => Enumerable.Range(0, imageDim).Select(_ => centers.NextDouble() * 4 - 2).ToArray()).ToArray();
        var textCenters = Enumerable.Range(0, Classes).Select(_ => Enumerable.Range(0, textDim).Select(_ => centers.NextDouble() * 4 - 2).ToArray()).ToArray();
        var random = new Random(seed);
        var n = Classes * perClass;
        var images = new List<float[]>();
        var texts = new List<float[]>();
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % Classes;
            images.Add([.. imageCenters[labels[i]].Select(c => (float)(c + random.NextDouble() - 0.5))]);
            texts.Add([.. textCenters[labels[i]].Select(c => (float)(c + random.NextDouble() - 0.5))]);
        }
        return new FeatureSplit(FeatureMatrix.FromRows(images, imageDim), FeatureMatrix.FromRows(texts, textDim), labels);
    }

    /// <summary>Trains the tiny model on 40 items per class (seed 1) into <c>{folder}/model</c> and returns that folder.</summary>
    public static string TrainTinyModel(string folder, FeatureSplit test, int epochs) =>
        Train(folder, Split(perClass: 40, seed: 1), test, DatasetInfo.Default(folder), epochs);

    /// <summary>
    /// A tiny feature-mode model for features <paramref name="imageDim"/> and <paramref name="textDim"/> wide, trained for one
    /// epoch into <c>{folder}/model</c>: for services that only check widths against the active model.
    /// </summary>
    public static string TrainTinyModel(string folder, int imageDim, int textDim) =>
        Train(folder, Split(perClass: 10, seed: 1, imageDim, textDim), Split(perClass: 2, seed: 2, imageDim, textDim), DatasetInfo.Default(folder), epochs: 1);

    /// <summary>
    /// A tiny model in the built-in backbones' feature space (ResNet18 512-d, MiniLM 384-d), trained on clusters of that
    /// shape: its quality is meaningless, but the encoder runs the backbones on raw images and texts for it.
    /// </summary>
    public static string TrainTinyBackboneModel(string folder, int epochs)
    {
        const int ResNet18Dim = 512;
        const int MiniLmDim = 384;
        var info = new DatasetInfo("tiny-backbone-space", BackboneNames.ResNet18, BackboneNames.MiniLm, null);
        return Train(folder, Split(perClass: 10, seed: 1, ResNet18Dim, MiniLmDim), Split(perClass: 2, seed: 2, ResNet18Dim, MiniLmDim), info, epochs);
    }

    /// <summary>The tiny model's configuration (sizes for seconds of training), for the epochs given.</summary>
    public static Ms2GanConfig TinyConfig(int epochs) => new()
    {
        SpecificHidden = [32], SpecificDim = 16, CommonHidden = [16], SharedDim = 16, Epochs = epochs, BatchSize = 32,
        LearningRate = 1e-3, Dropout = 0.2, WeightDecay = 1e-4, Threads = 1,
    };

    /// <summary>
    /// The tiny configuration as retrain overrides (a retrain starts from the project's defaults, not the active model's), for
    /// tests whose retrains must stay as small as the model they replace.
    /// </summary>
    public static string TinyConfigJson(int epochs) => TinyConfig(epochs).ToJson();

    private static string Train(string folder, FeatureSplit train, FeatureSplit test, DatasetInfo info, int epochs)
    {
        var dataset = new FeatureDataset(folder, train, test, Classes, info);
        var config = TinyConfig(epochs);
        var model = Path.Combine(folder, "model");
        new Ms2GanModelBuilder(NullLogger.Instance).Build(dataset, config, model);
        return model;
    }
}
