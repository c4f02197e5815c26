namespace MS2GAN.TestSupport;

/// <summary>The repository the tests were built from: the folder above the test binaries that holds MS2GAN.Pipeline.sln.</summary>
public static class RepositoryRoot
{
    /// <summary>Its full path.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "MS2GAN.Pipeline.sln")))
            {
                return folder.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no MS2GAN.Pipeline.sln above {AppContext.BaseDirectory}");
    }
}
