namespace MS2GAN.Host.Cli.Import;

/// <summary>What `ms2gan ingest PATH` reads: a folder of images, a JSONL manifest, or a CSV or TSV manifest.</summary>
/// <param name="Path">The full path given.</param>
/// <param name="Kind">How it was read, for the summary.</param>
/// <param name="Entries">Its items in order, those refused before sending included.</param>
/// <param name="DefaultState">Where the checkpoint of an import of it lives unless --state says otherwise.</param>
public sealed record ImportSource(string Path, string Kind, IReadOnlyList<ImportEntry> Entries, string DefaultState)
{
    /// <summary>The checkpoint file's name (hidden), in the folder or beside the manifest.</summary>
    public const string StateSuffix = ".ms2gan-ingest";

    /// <summary>Reads <paramref name="path"/> by what it is: a folder, <c>.jsonl</c>/<c>.ndjson</c>, or <c>.csv</c>/<c>.tsv</c>.</summary>
    /// <exception cref="CommandFailedException">Not there, or of no kind it can read (exit code 2).</exception>
    public static ImportSource Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var captions = ImageFolder.CaptionFiles.FirstOrDefault(name => File.Exists(System.IO.Path.Combine(full, name)));
            return new ImportSource(full, captions is null ? "folder of images, no captions file" : $"folder of images with {captions}",
                ImageFolder.Read(full), System.IO.Path.Combine(full, StateSuffix));
        }
        if (!File.Exists(full))
        {
            throw new CommandFailedException(CliRunner.BadInput, $"{full}: no such file or folder");
        }
        var state = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, "." + System.IO.Path.GetFileName(full) + StateSuffix);
        return System.IO.Path.GetExtension(full).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => new ImportSource(full, "JSONL manifest", JsonlManifest.Read(full), state),
            ".csv" => new ImportSource(full, "CSV manifest", ManifestTable.Read(full), state),
            ".tsv" => new ImportSource(full, "TSV manifest", ManifestTable.Read(full), state),
            _ => throw new CommandFailedException(CliRunner.BadInput,
                $"{full}: not a folder, a .jsonl/.ndjson manifest or a .csv/.tsv manifest (the extension says which)"),
        };
    }
}
