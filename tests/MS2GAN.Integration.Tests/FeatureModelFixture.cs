using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Features.Data;
using MS2GAN.Model;

namespace MS2GAN.Integration.Tests;

/// <summary>
/// A small feature-mode model trained on generated clusters (the idea of the search tests' corpus), and
/// items drawn from the same clusters. Trained on first use, so a run without a broker trains nothing.
/// </summary>
public sealed class FeatureModelFixture : IDisposable
{
    public const int Classes = 4;
    public const int ImageDim = 12;
    public const int TextDim = 6;

    private readonly TempFolder _folder = new();
    private readonly Lazy<string> _model;

    public FeatureModelFixture() => _model = new Lazy<string>(Train);

    /// <summary>The model folder.</summary>
    public string ModelDirectory => _model.Value;

    /// <summary>
    /// <paramref name="count"/> items with ids <c>{prefix}-0000</c> and up; the same items on every call, and
    /// other features under another prefix (no two items of a test tie in a search).
    /// </summary>
    public static IReadOnlyList<FeatureItem> Items(string prefix, int count)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var seed = prefix.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
        var split = Synthetic(perClass: (count + Classes - 1) / Classes, seed);
        return [.. Enumerable.Range(0, count).Select(row => new FeatureItem(
            $"{prefix}-{row:D4}",
            split.Image.Values.AsSpan(row * ImageDim, ImageDim).ToArray(),
            split.Text.Values.AsSpan(row * TextDim, TextDim).ToArray(),
            $"class-{split.Labels[row]}"))];
    }

    public void Dispose() => _folder.Dispose();

    private string Train()
    {
        var train = Synthetic(perClass: 40, seed: 1);
        var test = Synthetic(perClass: 10, seed: 3);
        var dataset = new FeatureDataset(_folder.Path, train, test, Classes, DatasetInfo.Default(_folder.Path));
        var config = new Ms2GanConfig
        {
            SpecificHidden = [32], SpecificDim = 16, CommonHidden = [16], SharedDim = 16, Epochs = 10, BatchSize = 32,
            LearningRate = 1e-3, Dropout = 0.2, WeightDecay = 1e-4, Threads = 1,
        };
        var model = _folder.File("model");
        new Ms2GanModelBuilder(NullLogger.Instance).Build(dataset, config, model);
        return model;
    }

    private static FeatureSplit Synthetic(int perClass, int seed)
    {
        var centers = new Random(99);
        var imageCenters = Enumerable.Range(0, Classes).Select(_ => Enumerable.Range(0, ImageDim).Select(_ => centers.NextDouble() * 4 - 2).ToArray()).ToArray();
        var textCenters = Enumerable.Range(0, Classes).Select(_ => Enumerable.Range(0, TextDim).Select(_ => centers.NextDouble() * 4 - 2).ToArray()).ToArray();
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
        return new FeatureSplit(FeatureMatrix.FromRows(images, ImageDim), FeatureMatrix.FromRows(texts, TextDim), labels);
    }
}
