namespace MS2GAN.TestSupport;

/// <summary>
/// Files and folders found by walking up from the test binaries: the repository (MS2GAN.Pipeline.sln), and what lies beside
/// it (the benchmark data in ../shared/data). The one walk-up of the test projects.
/// </summary>
public static class RepositoryFolder
{
    /// <summary>The repository root.</summary>
    /// <exception cref="DirectoryNotFoundException">The binaries are not inside the repository.</exception>
    public static string Root() =>
        Above("MS2GAN.Pipeline.sln") ?? throw new DirectoryNotFoundException($"no MS2GAN.Pipeline.sln above {AppContext.BaseDirectory}");

    /// <summary>A file of the repository, by its path from the root.</summary>
    public static string File(string relative) => Path.Combine(Root(), relative);

    /// <summary>
    /// The nearest folder above the test binaries that holds <paramref name="relative"/> (a file or a folder), or null when
    /// none does: for data kept beside the repository, such as shared/data/wikipedia.
    /// </summary>
    public static string? Above(string relative)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, relative);
            if (System.IO.File.Exists(candidate) || Directory.Exists(candidate))
            {
                return folder.FullName;
            }
        }
        return null;
    }

    /// <summary>A folder under artifacts/ (created), where tests leave what a person looks at afterwards.</summary>
    public static string Artifacts(string name)
    {
        var folder = Path.Combine(Root(), "artifacts", name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
