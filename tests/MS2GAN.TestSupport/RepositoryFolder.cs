namespace MS2GAN.TestSupport;

/// <summary>The repository the tests run from, found by walking up from the test binaries to MS2GAN.Pipeline.sln.</summary>
public static class RepositoryFolder
{
    /// <summary>The repository root.</summary>
    /// <exception cref="DirectoryNotFoundException">The binaries are not inside the repository.</exception>
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MS2GAN.Pipeline.sln")))
            {
                return folder.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no MS2GAN.Pipeline.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>A folder under artifacts/ (created), where tests leave what a person looks at afterwards.</summary>
    public static string Artifacts(string name)
    {
        var folder = Path.Combine(Root(), "artifacts", name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
