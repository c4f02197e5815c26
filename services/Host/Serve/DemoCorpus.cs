using MS2GAN.Features.Demo;
using MS2GAN.Host.Cli.Import;
using MS2GAN.Ingest;

namespace MS2GAN.Host.Serve;

/// <summary>The items of a generated demo dataset (captions.tsv and media/*.png) as ingest requests.</summary>
public static class DemoCorpus
{
    /// <summary>Whether the folder holds a demo dataset.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, DemoDataGenerator.CaptionsFile));

    /// <summary>
    /// One ingest request per demo item: caption, image, class label and split, read as `ms2gan ingest` reads the folder,
    /// so that both give the same items.
    /// </summary>
    /// <exception cref="InvalidDataException">A row of captions.tsv cannot be read, or its image is missing.</exception>
    public static IEnumerable<ItemRequest> Read(string directory)
    {
        foreach (var entry in ImageFolder.Read(directory))
        {
            if (entry.Problem is { } problem)
            {
                throw new InvalidDataException($"{Path.Combine(directory, entry.Where)}: {problem}");
            }
            yield return entry.Item! with { Image = entry.ImagePath is null ? null : Convert.ToBase64String(File.ReadAllBytes(entry.ImagePath)) };
        }
    }
}
