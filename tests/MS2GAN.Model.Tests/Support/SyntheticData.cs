using MS2GAN.Features.Data;

namespace MS2GAN.Model.Tests.Support;

/// <summary>
/// Paired image/text features with a class signal and noise, at deliberately different scales
/// (image features around 50 with spread in the tens, text features summing to one), seeded.
/// </summary>
public static class SyntheticData
{
    public static FeatureSplit Make(int classes, int perClass, int imageDim, int textDim, int seed, double noise = 1.0)
    {
        var centers = new Random(1234); // the same class centres for every split
        var imageCenters = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, imageDim).Select(_ => centers.NextDouble() * 2 - 1).ToArray()).ToArray();
        var textCenters = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, textDim).Select(_ => centers.NextDouble()).ToArray()).ToArray();
        var random = new Random(seed);
        var images = new List<float[]>();
        var texts = new List<float[]>();
        var labels = new List<int>();
        for (var i = 0; i < classes * perClass; i++)
        {
            var label = i % classes;
            images.Add(imageCenters[label].Select(c => (float)(50 + 10 * c + 10 * noise * Gaussian(random))).ToArray());
            var text = textCenters[label].Select(c => Math.Max(1e-3, c + noise * 0.5 * Gaussian(random))).ToArray();
            var sum = text.Sum();
            texts.Add(text.Select(t => (float)(t / sum)).ToArray());
            labels.Add(label);
        }
        return new FeatureSplit(FeatureMatrix.FromRows(images, imageDim), FeatureMatrix.FromRows(texts, textDim), labels.ToArray());
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
