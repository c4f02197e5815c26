namespace MS2GAN.TestSupport;

/// <summary>The repository the tests were built from, found by walking up from the test's binaries to the solution file.</summary>
public static class RepositoryFolder
{
    /// <summary>The folder holding MS2GAN.Pipeline.sln.</summary>
    /// <exception cref="DirectoryNotFoundException">The binaries do not sit inside the repository.</exception>
    public static string Root
    {
        get
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
    }
}
