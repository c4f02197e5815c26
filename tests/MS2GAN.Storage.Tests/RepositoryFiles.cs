namespace MS2GAN.Storage.Tests;

/// <summary>Files of the repository, found from the test's output folder upwards.</summary>
internal static class RepositoryFiles
{
    public static string Find(string relative)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }
}
