using System.Text;
using MS2GAN.Ingest;

namespace MS2GAN.Host.Cli.Import;

/// <summary>
/// A JSONL manifest: one item per line in the JSON form of <c>POST /v1/items</c>, except that <c>image</c> is the path
/// of an image file relative to the manifest (not base64). Blank lines are skipped.
/// </summary>
public static class JsonlManifest
{
    /// <summary>Reads every line of <paramref name="path"/>; a line that is not an item is an entry refused with the reason.</summary>
    public static IReadOnlyList<ImportEntry> Read(string path)
    {
        var name = Path.GetFileName(path);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var entries = new List<ImportEntry>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var where = $"{name} line {number}";
            var item = ItemRequestJson.TryRead(Encoding.UTF8.GetBytes(line), out var errors);
            if (item is null || errors.Count > 0)
            {
                entries.Add(ImportEntry.Refused(where, "not an item: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))));
                continue;
            }
            string? imagePath = null;
            if (item.Image is { } image)
            {
                imagePath = Path.GetFullPath(Path.Combine(baseDirectory, image));
                if (!File.Exists(imagePath))
                {
                    var shown = image.Length > 60 ? image[..60] + "..." : image;
                    entries.Add(ImportEntry.Refused(where, $"image {shown}: no such file ({imagePath}; image paths are relative to the manifest)"));
                    continue;
                }
                item = item with { Image = null };
            }
            var id = item.Id ?? (imagePath is null ? StableIds.FromContent(item) : StableIds.FromPath(Path.GetRelativePath(baseDirectory, imagePath)));
            entries.Add(new ImportEntry(where, item with { Id = id }, imagePath, null));
        }
        return entries;
    }
}
