namespace MS2GAN.Host.Cli.Import;

/// <summary>
/// A folder of images (PNG, JPEG, WebP, in sub-folders too) with an optional captions file, <c>captions.tsv</c> or
/// <c>captions.csv</c> (see <see cref="ManifestTable"/>): each row is an item, its image named by the <c>image</c>
/// column or found by its <c>id</c> as a file name without extension (the layout `ms2gan demo-data` writes). Images no
/// row names are items of their own, with no text, their id made from their path.
/// </summary>
public static class ImageFolder
{
    /// <summary>Image file extensions the ingest service accepts.</summary>
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>The captions files looked for, in this order.</summary>
    public static readonly string[] CaptionFiles = ["captions.tsv", "captions.csv"];

    /// <summary>Reads the folder: the captions file's rows first, then the images no row names.</summary>
    public static IReadOnlyList<ImportEntry> Read(string directory)
    {
        var root = Path.GetFullPath(directory);
        var images = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(file => Extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            .Where(file => !Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();
        var byName = images.ToLookup(file => Path.GetFileNameWithoutExtension(file), StringComparer.Ordinal);
        var entries = new List<ImportEntry>();
        if (CaptionFiles.Select(name => Path.Combine(root, name)).FirstOrDefault(File.Exists) is { } captions)
        {
            entries.AddRange(ManifestTable.Read(captions, id => byName[id].ToList() switch
            {
                [var one] => (one, null),
                [] => (null, $"no image for id {id} in {root} (looked for {id} with {string.Join(", ", Extensions)})"),
                var many => (null, $"several images for id {id}: {string.Join(", ", many.Select(f => Path.GetRelativePath(root, f)))}; name one in an image column"),
            }));
        }
        var named = entries.Where(e => e.ImagePath is not null).Select(e => e.ImagePath!).ToHashSet(StringComparer.Ordinal);
        foreach (var image in images.Where(file => !named.Contains(file)))
        {
            var relative = Path.GetRelativePath(root, image);
            entries.Add(new ImportEntry(relative, new Ingest.ItemRequest { Id = StableIds.FromPath(relative) }, image, null));
        }
        return entries;
    }
}
