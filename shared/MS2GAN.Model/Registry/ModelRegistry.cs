using System.Collections.Concurrent;
using System.Text.Json;
using MS2GAN.Features.Data;

namespace MS2GAN.Model.Registry;

/// <summary>
/// The model registry: a folder holding <c>registry.json</c> (every version, its stage and metrics, the active
/// version, the reindex in progress) and the folders of the models trained by the trainer. Every service reads
/// it (a shared volume when they run apart); the trainer writes it. Writes are atomic (a reader sees the old or
/// the new file) and serialised across processes by a lock file.
/// </summary>
public sealed class ModelRegistry
{
    /// <summary>The registry file inside the root folder.</summary>
    public const string FileName = "registry.json";

    private static readonly ConcurrentDictionary<string, object> ProcessLocks = new();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly string _file;
    private (DateTime Written, long Length, RegistryState State)? _cache;

    /// <summary>Opens (and creates, when missing) the registry in <paramref name="root"/>.</summary>
    public ModelRegistry(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        _file = Path.Combine(Root, FileName);
    }

    /// <summary>The registry's folder.</summary>
    public string Root { get; }

    /// <summary>The current content; cheap when the file has not changed since the last read.</summary>
    /// <exception cref="InvalidDataException">The file does not parse; the message names it.</exception>
    public RegistryState Read()
    {
        var info = new FileInfo(_file);
        if (!info.Exists)
        {
            return RegistryState.Empty;
        }
        var cache = _cache;
        if (cache is { } hit && hit.Written == info.LastWriteTimeUtc && hit.Length == info.Length)
        {
            return hit.State;
        }
        RegistryState state;
        try
        {
            state = JsonSerializer.Deserialize<RegistryState>(File.ReadAllBytes(_file), Json) ?? RegistryState.Empty;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{_file}: not a model registry file ({ex.Message})", ex);
        }
        _cache = (info.LastWriteTimeUtc, info.Length, state);
        return state;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current content and writes the result, holding the registry's lock
    /// (in this process and, through a lock file, against other processes). Returns the written state.
    /// </summary>
    public RegistryState Update(Func<RegistryState, RegistryState> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (ProcessLocks.GetOrAdd(_file, _ => new object()))
        {
            using var fileLock = AcquireFileLock();
            _cache = null;
            var next = change(Read());
            AtomicFile.Write(_file, stream => JsonSerializer.Serialize(stream, next, Json));
            _cache = null;
            return next;
        }
    }

    /// <summary>The folder of a registered version, as an absolute path.</summary>
    /// <exception cref="KeyNotFoundException">The version is not registered.</exception>
    public string DirectoryOf(string version)
    {
        var model = Read().Find(version) ?? throw new KeyNotFoundException($"model version {version} is not in the registry at {Root}");
        return FullPath(model.Directory);
    }

    /// <summary>An absolute path for a registry entry's folder.</summary>
    public string FullPath(string directory) => Path.IsPathRooted(directory) ? directory : Path.GetFullPath(Path.Combine(Root, directory));

    /// <summary>How a folder is recorded: relative when inside the root (the volume may be mounted elsewhere by another service).</summary>
    public string Relative(string directory)
    {
        var full = Path.GetFullPath(directory);
        var relative = Path.GetRelativePath(Root, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }

    /// <summary>A new, unused folder path inside the registry for a model about to be trained.</summary>
    public string NewModelFolder() => Path.Combine(Root, "versions", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>Whether the folder lies inside the registry (the registry may delete it when the version is retired).</summary>
    public bool Owns(string directory) => !Path.IsPathRooted(Relative(directory));

    private FileStream AcquireFileLock()
    {
        var path = Path.Combine(Root, ".registry.lock");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }
}
