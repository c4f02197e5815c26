using System.Text;
using MS2GAN.Storage.Items;

namespace MS2GAN.Host.Cli.Import;

/// <summary>
/// What an import has already had accepted by one service: a text file with a header naming the service, then one
/// line per accepted item, its content hash and id, appended and flushed to disk after every batch. A resumed import
/// skips items whose id and content are listed; a line cut short by a crash is ignored (that item is sent again, and
/// the service, idempotent by id and content, keeps it once).
/// </summary>
public sealed class ImportCheckpoint : IDisposable
{
    private const string Header = "ms2gan ingest checkpoint v1 ";
    private const int HashLength = 64;

    private readonly Dictionary<string, string> _done;
    private readonly FileStream _file;

    private ImportCheckpoint(string path, Dictionary<string, string> done, FileStream file)
    {
        Path = path;
        _done = done;
        _file = file;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>How many items it lists.</summary>
    public int Count => _done.Count;

    /// <summary>
    /// Opens the checkpoint at <paramref name="path"/> for imports into <paramref name="service"/>; one made for another
    /// service (or unreadable) is started afresh, and <paramref name="resumed"/> says whether an earlier one was kept.
    /// </summary>
    public static ImportCheckpoint Open(string path, string service, out bool resumed)
    {
        var header = Header + service;
        var done = new Dictionary<string, string>(StringComparer.Ordinal);
        resumed = false;
        if (File.Exists(path))
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            if (reader.ReadLine() == header)
            {
                resumed = true;
                while (reader.ReadLine() is { } line)
                {
                    var space = line.IndexOf(' ', StringComparison.Ordinal);
                    if (space == HashLength && ItemIds.IsValid(line[(space + 1)..]))
                    {
                        done[line[(space + 1)..]] = line[..space];
                    }
                }
            }
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var file = new FileStream(path, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
        if (!resumed)
        {
            file.Write(Encoding.UTF8.GetBytes(header + "\n"));
            file.Flush(flushToDisk: true);
        }
        else if (file.Length > 0)
        {
            // A line cut short by a crash: start on a fresh line so the next one is read whole.
            file.Write("\n"u8);
        }
        return new ImportCheckpoint(path, done, file);
    }

    /// <summary>Whether the item <paramref name="id"/> with content <paramref name="hash"/> was accepted before.</summary>
    public bool Contains(string id, string hash) => _done.TryGetValue(id, out var known) && known == hash;

    /// <summary>Records accepted items and flushes them to disk.</summary>
    public void Append(IEnumerable<(string Id, string Hash)> accepted)
    {
        var text = new StringBuilder();
        foreach (var (id, hash) in accepted)
        {
            _done[id] = hash;
            text.Append(hash).Append(' ').Append(id).Append('\n');
        }
        _file.Write(Encoding.UTF8.GetBytes(text.ToString()));
        _file.Flush(flushToDisk: true);
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
