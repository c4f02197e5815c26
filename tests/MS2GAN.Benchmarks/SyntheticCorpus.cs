using MS2GAN.Features.Data;

namespace MS2GAN.Benchmarks;

/// <summary>
/// Feature-mode items at the Wikipedia dataset's shape (128-d image, 10-d text, 10 classes): each class a
/// random centre per modality, each item its class centre plus uniform noise. Deterministic per seed.
/// </summary>
public sealed class SyntheticCorpus
{
    public const int Classes = 10;
    public const int ImageDim = 128;
    public const int TextDim = 10;

    private readonly float[][] _imageCenters;
    private readonly float[][] _textCenters;

    public SyntheticCorpus()
    {
        var centers = new Random(99);
        _imageCenters = [.. Enumerable.Range(0, Classes).Select(_ => Center(centers, ImageDim))];
        _textCenters = [.. Enumerable.Range(0, Classes).Select(_ => Center(centers, TextDim))];
    }

    /// <summary>Item <paramref name="index"/> of the stream made with <paramref name="seed"/>: the same on every call.</summary>
    public (float[] Image, float[] Text, int Label) Item(int seed, int index)
    {
        var random = new Random(HashCode.Combine(seed, index));
        var label = index % Classes;
        return (Noisy(_imageCenters[label], random), Noisy(_textCenters[label], random), label);
    }

    /// <summary>A training or test split of <paramref name="count"/> items.</summary>
    public FeatureSplit Split(int seed, int count)
    {
        var images = new List<float[]>(count);
        var texts = new List<float[]>(count);
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var (image, text, label) = Item(seed, i);
            images.Add(image);
            texts.Add(text);
            labels[i] = label;
        }
        return new FeatureSplit(FeatureMatrix.FromRows(images, ImageDim), FeatureMatrix.FromRows(texts, TextDim), labels);
    }

    private static float[] Center(Random random, int dim) => [.. Enumerable.Range(0, dim).Select(_ => (float)((random.NextDouble() * 4) - 2))];

    private static float[] Noisy(float[] center, Random random) =>
        [.. center.Select(c => (float)(c + ((random.NextDouble() - 0.5) * 2)))];
}
