using MS2GAN.Features.Data;

namespace MS2GAN.Host.Tests.Support;

/// <summary>Writes small feature datasets in the Wikipedia layout (train_*.npy, test_*.npy), with a class signal.</summary>
public static class FeatureDatasetFiles
{
    public static void Write(string directory, int classes = 3, int perClass = 30, int imageDim = 12, int textDim = 5, int seed = 1)
    {
        Directory.CreateDirectory(directory);
        WriteSplit(directory, "train", classes, perClass, imageDim, textDim, seed);
        WriteSplit(directory, "test", classes, Math.Max(2, perClass / 3), imageDim, textDim, seed + 100);
    }

    public static void WriteSplit(string directory, string prefix, int classes, int perClass, int imageDim, int textDim, int seed)
    {
        var random = new Random(seed);
        var n = classes * perClass;
        var image = new float[n * imageDim];
        var text = new float[n * textDim];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % classes;
            for (var d = 0; d < imageDim; d++)
            {
                image[i * imageDim + d] = (float)(20 + (d % classes == labels[i] ? 10 : 0) + 4 * random.NextDouble());
            }
            for (var d = 0; d < textDim; d++)
            {
                text[i * textDim + d] = (float)((d % classes == labels[i] ? 0.5 : 0.1) + 0.2 * random.NextDouble());
            }
        }
        NpyWriter.Write(System.IO.Path.Combine(directory, $"{prefix}_image.npy"), new FeatureMatrix(image, n, imageDim));
        NpyWriter.Write(System.IO.Path.Combine(directory, $"{prefix}_text.npy"), new FeatureMatrix(text, n, textDim));
        NpyWriter.Write(System.IO.Path.Combine(directory, $"{prefix}_labels.npy"), labels);
    }
}
