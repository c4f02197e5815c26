using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The HNSW graphs of one index, one per modality (image records in one graph, text records in the other), saved
/// beside the index as <c>graph.image.usearch</c> and <c>graph.text.usearch</c> with one <c>graph.json</c> naming the
/// log sequence both files match and each file's length and CRC-32. A query for one target modality walks only that
/// modality's graph: in a single mixed graph a cross-modal query's neighbourhood is mostly records of the query's own
/// modality, which the target filter then throws away.
/// </summary>
internal sealed class ModalityGraphs : IDisposable
{
    private const string MetaFile = "graph.json";

    // The single mixed graph of earlier versions; it is deleted on open and rebuilt as two graphs.
    private const string LegacyGraphFile = "graph.usearch";

    private static readonly byte[] Modalities = [1, 2];

    private readonly string _name;
    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly HnswGraph[] _graphs;

    private ModalityGraphs(string name, string directory, ILogger logger, HnswGraph[] graphs, bool rebuilt)
    {
        _name = name;
        _directory = directory;
        _logger = logger;
        _graphs = graphs;
        RebuiltOnOpen = rebuilt;
    }

    public bool IsCaughtUp => _graphs.All(g => g.IsCaughtUp);

    public bool Failed => _graphs.Any(g => g.Failed);

    /// <summary>True when opening had to build a graph again for records that were already stored.</summary>
    public bool RebuiltOnOpen { get; }

    /// <summary>What USearch reports both graphs use (vectors and links).</summary>
    public long MemoryBytes => _graphs.Sum(g => g.MemoryBytes);

    /// <summary>The ef each graph searches with now.</summary>
    public int[] ExpansionSearch => [.. _graphs.Select(g => g.ExpansionSearch)];

    /// <summary>
    /// Opens both graphs (memory-mapped views of their files when graph.json vouches for them) and marks the slots
    /// each must (re)build: every live slot of its modality for a new graph; for a saved one, those changed after the
    /// saved sequence and those it holds that are no longer live records of its modality.
    /// </summary>
    public static ModalityGraphs Open(
        string name, string directory, int dimensions, EmbeddedVectorStoreOptions options,
        Func<int[], byte, float[]?[]> readJoint, byte[] modalities, long[] seqs, int slotCount, ILogger logger)
    {
        var legacy = Path.Combine(directory, LegacyGraphFile);
        if (File.Exists(legacy))
        {
            File.Delete(legacy);
        }

        var meta = ReadMeta(Path.Combine(directory, MetaFile));
        var graphs = new HnswGraph[Modalities.Length];
        var rebuilt = false;
        for (var g = 0; g < graphs.Length; g++)
        {
            var modality = Modalities[g];
            var modalityName = VectorRecordValidation.ModalityName(modality);
            var path = GraphPath(directory, modality);
            var usable = meta is not null && Verified(path, meta, modalityName, name, logger);
            graphs[g] = new HnswGraph(
                $"{name}/{modalityName}", dimensions, options, usable ? path : null, slots => readJoint(slots, modality), logger);
            var graph = graphs[g];
            var graphSeq = graph.Loaded ? meta!.Seq : -1;
            var dirty = 0;
            var stored = 0;
            for (var slot = 0; slot < slotCount; slot++)
            {
                var mine = modalities[slot] == modality;
                stored += mine && seqs[slot] <= graphSeq ? 1 : 0;
                if (!graph.Loaded ? mine : mine ? seqs[slot] > graphSeq : graph.Contains(slot))
                {
                    graph.MarkDirty(slot);
                    dirty++;
                }
            }

            rebuilt |= !graph.Loaded && dirty > 0;
            logger.LogInformation(
                "Vector index {Index}: {Modality} HNSW graph {State}, {Dirty} slots to (re)build in the background",
                name, modalityName, graph.Loaded ? $"opened as a memory-mapped view of its file ({stored} records, no rebuild)" : "new", dirty);
            graph.Kick();
        }

        return new ModalityGraphs(name, directory, logger, graphs, rebuilt);
    }

    /// <summary>How many live slots (<paramref name="modalities"/> non-zero) their modality's graph does not hold.</summary>
    public int Absent(byte[] modalities, int slotCount)
    {
        var absent = 0;
        for (var slot = 0; slot < slotCount; slot++)
        {
            absent += modalities[slot] != 0 && !_graphs[modalities[slot] - 1].Contains(slot) ? 1 : 0;
        }

        return absent;
    }

    /// <summary>Changes the ef both graphs search with from now on.</summary>
    public void SetExpansionSearch(int ef)
    {
        foreach (var graph in _graphs)
        {
            graph.SetExpansionSearch(ef);
        }
    }

    /// <summary>A slot of this modality changed (written, or freed while it held this modality).</summary>
    public void MarkDirty(int slot, byte modality) => _graphs[modality - 1].MarkDirty(slot);

    public void Kick()
    {
        foreach (var graph in _graphs)
        {
            graph.Kick();
        }
    }

    public async Task WaitCaughtUpAsync(CancellationToken cancellationToken)
    {
        foreach (var graph in _graphs)
        {
            await graph.WaitCaughtUpAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The pending slots of the graphs a query of <paramref name="target"/> searches; null past <paramref name="limit"/>.</summary>
    public int[]? PendingSlots(byte target, int limit)
    {
        var all = new List<int>();
        foreach (var modality in Modalities)
        {
            if (target != 0 && target != modality)
            {
                continue;
            }

            if (_graphs[modality - 1].PendingSlots(limit) is not { } pending)
            {
                return null;
            }

            all.AddRange(pending);
        }

        return [.. all];
    }

    /// <summary>
    /// Up to <paramref name="count"/> nearest slots from the graph of <paramref name="target"/> (both graphs for 0,
    /// any modality) that pass <paramref name="filter"/>, appended to <paramref name="into"/>, unordered across
    /// graphs; false when a graph cannot answer.
    /// </summary>
    public bool Search(byte target, float[] query, int count, GraphFilter? filter, List<int> into)
    {
        var keys = new ulong[count];
        foreach (var modality in Modalities)
        {
            if (target != 0 && target != modality)
            {
                continue;
            }

            var found = _graphs[modality - 1].Search(query, keys, filter);
            if (found < 0)
            {
                return false;
            }

            for (var i = 0; i < found; i++)
            {
                into.Add((int)keys[i]);
            }
        }

        return true;
    }

    /// <summary>Saves both graphs, then the sequence they match and their checksums; nothing is recorded unless both are caught up.</summary>
    public void Save(long seq)
    {
        try
        {
            var files = new Dictionary<string, GraphFileMeta>(StringComparer.Ordinal);
            foreach (var modality in Modalities)
            {
                // A graph file newer than graph.json fails its checksum and is rebuilt; graph.json is written only
                // after both files are on disk, so it never vouches for a file that is not.
                if (_graphs[modality - 1].TrySave(GraphPath(_directory, modality)) is not { } saved)
                {
                    return;
                }

                files[VectorRecordValidation.ModalityName(modality)] = new GraphFileMeta(saved.Bytes, saved.Crc);
            }

            AtomicFile.WriteAllBytes(Path.Combine(_directory, MetaFile), JsonSerializer.SerializeToUtf8Bytes(new GraphMeta(seq, files)));
        }
        catch (Exception ex) when (ex is IOException or UsearchException)
        {
            // The graphs are a cache of the rows: losing them costs a rebuild, not data.
            _logger.LogWarning(ex, "Vector index {Index}: could not save the HNSW graphs", _name);
        }
    }

    public void Dispose()
    {
        foreach (var graph in _graphs)
        {
            graph.Dispose();
        }
    }

    private static string GraphPath(string directory, byte modality) =>
        Path.Combine(directory, $"graph.{VectorRecordValidation.ModalityName(modality)}.usearch");

    private static bool Verified(string path, GraphMeta meta, string modality, string index, ILogger logger)
    {
        if (!File.Exists(path) || meta.Files?.GetValueOrDefault(modality) is not { } expected)
        {
            return false;
        }

        var length = new FileInfo(path).Length;
        if (length != expected.Bytes || Crc32.OfFile(path) != expected.Crc)
        {
            logger.LogWarning(
                "Vector index {Index}: the {Modality} graph file does not match its checksum in graph.json; it is rebuilt", index, modality);
            return false;
        }

        return true;
    }

    private static GraphMeta? ReadMeta(string metaPath)
    {
        if (!File.Exists(metaPath))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<GraphMeta>(File.ReadAllBytes(metaPath));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record GraphMeta(long Seq, Dictionary<string, GraphFileMeta>? Files);

    private sealed record GraphFileMeta(long Bytes, uint Crc);
}
