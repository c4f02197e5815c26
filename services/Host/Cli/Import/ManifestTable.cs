using MS2GAN.Ingest;

namespace MS2GAN.Host.Cli.Import;

/// <summary>
/// A CSV or TSV manifest (also a folder's captions file): a header, then one item per row. Columns by name, any case:
/// <c>id</c>; <c>image</c> (or <c>file</c>), a path relative to the manifest; <c>text</c> (or <c>caption</c>);
/// <c>labels</c> (several separated by '|'), else <c>class</c>, else <c>label</c>; every other column is metadata.
/// </summary>
public static class ManifestTable
{
    private static readonly string[] ImageColumns = ["image", "file"];
    private static readonly string[] TextColumns = ["text", "caption"];
    private static readonly string[] LabelColumns = ["labels", "class", "label"];

    /// <summary>Reads the rows of <paramref name="path"/>; the folder mode passes <paramref name="findImage"/> for rows without an image column.</summary>
    /// <param name="path">The manifest.</param>
    /// <param name="findImage">For a row with an id and no image path: the image file of that id, or null with the reason.</param>
    /// <exception cref="InvalidDataException">No header, or a header naming none of id, image and text.</exception>
    public static IReadOnlyList<ImportEntry> Read(string path, Func<string, (string? Path, string? Problem)>? findImage = null)
    {
        var name = Path.GetFileName(path);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        using var records = DelimitedRecords.Read(path).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new InvalidDataException($"{path}: empty; expected a header line naming the columns (id, image, text, labels, ...)");
        }
        var header = records.Current.Fields.Select(h => h.Trim()).ToArray();
        var columns = header.Select(h => h.ToLowerInvariant()).ToArray();
        if (records.Current.Problem is { } malformed)
        {
            throw new InvalidDataException($"{path} line {records.Current.Line}: the header is malformed: {malformed}");
        }
        if (!columns.Any(c => c == "id" || ImageColumns.Contains(c) || TextColumns.Contains(c)))
        {
            throw new InvalidDataException($"{path} line {records.Current.Line}: the header names none of the columns id, image, file, text, caption "
                + $"(found: {string.Join(", ", header)})");
        }
        var entries = new List<ImportEntry>();
        while (records.MoveNext())
        {
            var (line, fields, problem) = records.Current;
            var where = $"{name} line {line}";
            if (problem is not null)
            {
                entries.Add(ImportEntry.Refused(where, problem));
            }
            else if (fields.Count != columns.Length)
            {
                entries.Add(ImportEntry.Refused(where, $"{fields.Count} fields where the header has {columns.Length}"));
            }
            else
            {
                entries.Add(Entry(where, header, columns, [.. fields], baseDirectory, findImage));
            }
        }
        return entries;
    }

    private static ImportEntry Entry(string where, string[] header, string[] columns, string[] fields, string baseDirectory, Func<string, (string?, string?)>? findImage)
    {
        string? Value(params string[] names) => names.Select(n => Array.IndexOf(columns, n)).Where(i => i >= 0)
            .Select(i => fields[i].Trim()).FirstOrDefault(v => v.Length > 0);
        var id = Value("id");
        var image = Value(ImageColumns);
        string? imagePath = null;
        if (image is not null)
        {
            imagePath = Path.GetFullPath(Path.Combine(baseDirectory, image));
            if (!File.Exists(imagePath))
            {
                return ImportEntry.Refused(where, $"image {image}: no such file ({imagePath})");
            }
        }
        else if (findImage is not null && id is not null)
        {
            var (found, problem) = findImage(id);
            if (found is null)
            {
                return ImportEntry.Refused(where, problem!);
            }
            imagePath = found;
        }
        var labelColumn = LabelColumns.FirstOrDefault(c => Value(c) is not null);
        var labels = labelColumn is null ? null
            : labelColumn == "labels" ? Value("labels")!.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [Value(labelColumn)!];
        var reserved = new[] { "id" }.Concat(ImageColumns).Concat(TextColumns).Concat(LabelColumns).ToHashSet();
        var metadata = Enumerable.Range(0, columns.Length)
            .Where(i => !reserved.Contains(columns[i]) && fields[i].Trim().Length > 0)
            .ToDictionary(i => header[i].Trim(), i => fields[i].Trim());
        var item = new ItemRequest
        {
            Id = id,
            Text = Value(TextColumns),
            Labels = labels,
            Metadata = metadata.Count > 0 ? metadata : null,
        };
        var relative = imagePath is null ? null : Path.GetRelativePath(baseDirectory, imagePath);
        return new ImportEntry(where, item with { Id = id ?? (relative is null ? StableIds.FromContent(item) : StableIds.FromPath(relative)) }, imagePath, null);
    }
}
