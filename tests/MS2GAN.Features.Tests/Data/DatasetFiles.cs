using MS2GAN.Features.Data;

namespace MS2GAN.Features.Tests.Data;

/// <summary>Writes small, valid feature splits for the loader tests to break one thing at a time.</summary>
internal static class DatasetFiles
{
    public static void WriteSplit(string folder, string prefix, int[] labels, int imageColumns = 4, int textColumns = 3)
    {
        NpyWriter.Write(Path.Combine(folder, $"{prefix}_image.npy"), Matrix(labels.Length, imageColumns));
        NpyWriter.Write(Path.Combine(folder, $"{prefix}_text.npy"), Matrix(labels.Length, textColumns));
        NpyWriter.Write(Path.Combine(folder, $"{prefix}_labels.npy"), labels);
    }

    /// <summary>A train split with classes 0, 1, 2 and a test split with classes 0 and 2.</summary>
    public static void WriteValid(string folder)
    {
        WriteSplit(folder, "train", [0, 1, 2, 1, 0]);
        WriteSplit(folder, "test", [2, 0]);
    }

    public static FeatureMatrix Matrix(int rows, int columns) =>
        new([.. Enumerable.Range(0, rows * columns).Select(i => i * 0.25f)], rows, columns);
}
