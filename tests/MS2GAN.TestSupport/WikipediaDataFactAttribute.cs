using Xunit;

namespace MS2GAN.TestSupport;

/// <summary>
/// A fact that needs the Wikipedia benchmark in <c>shared/data/wikipedia</c>, found by walking up from
/// the test binaries; skipped, saying why, when no such folder exists.
/// </summary>
public sealed class WikipediaDataFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Located = new(Find);

    public WikipediaDataFactAttribute()
    {
        if (Folder is null)
        {
            Skip = $"no shared/data/wikipedia folder (with train_labels.npy) found above {AppContext.BaseDirectory}";
        }
    }

    /// <summary>The dataset folder, or null when absent.</summary>
    public static string? Folder => Located.Value;

    /// <summary>The dataset folder; only call from a test carrying this attribute.</summary>
    public static string RequiredFolder => Folder ?? throw new InvalidOperationException("the Wikipedia data is absent");

    // The data sits next to the repository root (../shared/data/wikipedia).
    private static string? Find() =>
        RepositoryFolder.Above(Path.Combine("shared", "data", "wikipedia", "train_labels.npy")) is { } above
            ? Path.Combine(above, "shared", "data", "wikipedia")
            : null;
}
