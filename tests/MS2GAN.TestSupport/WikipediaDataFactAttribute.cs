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

    private static string? Find()
    {
        // The data sits next to the repository root (../shared/data/wikipedia), so check every ancestor.
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "data", "wikipedia");
            if (File.Exists(Path.Combine(candidate, "train_labels.npy")))
            {
                return candidate;
            }
        }
        return null;
    }
}
