namespace MS2GAN.Integration.Tests;

/// <summary>
/// A small feature-mode model trained on generated clusters (the idea of the search tests' corpus), and
/// items drawn from the same clusters. Trained on first use, so a run without a broker trains nothing.
/// </summary>
public sealed class FeatureModelFixture : IDisposable
{
    public const int Classes = SyntheticClusters.Classes;
    public const int ImageDim = SyntheticClusters.ImageDim;
    public const int TextDim = SyntheticClusters.TextDim;

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
        var split = SyntheticClusters.Split(perClass: (count + Classes - 1) / Classes, seed);
        return [.. Enumerable.Range(0, count).Select(row => new FeatureItem(
            $"{prefix}-{row:D4}",
            split.Image.Values.AsSpan(row * ImageDim, ImageDim).ToArray(),
            split.Text.Values.AsSpan(row * TextDim, TextDim).ToArray(),
            $"class-{split.Labels[row]}"))];
    }

    public void Dispose() => _folder.Dispose();

    private string Train() => SyntheticClusters.TrainTinyModel(_folder.Path, SyntheticClusters.Split(perClass: 10, seed: 3), epochs: 10);
}
