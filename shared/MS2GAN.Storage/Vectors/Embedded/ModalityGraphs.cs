using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The HNSW graphs of one index, one per modality (image records in one graph, text records in the other), saved
/// beside the index as <c>graph.image.usearch</c> and <c>graph.text.usearch</c> with one <c>graph.json</c> naming the
/// log sequence both files match. A query for one target modality walks only that modality's graph: in a single
/// mixed graph a cross-modal query's neighbourhood is mostly records of the query's own modality, which the
/// target filter then throws away.
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

    private ModalityGraphs(string name, string directory, ILogger logger, HnswGraph[] graphs)
    {
        _name = name;
        _directory = directory;
        _logger = logger;
        _graphs = graphs;
    }

    public bool IsCaughtUp => _graphs.All(g => g.IsCaughtUp);

    /// <summary>
    /// Opens (or starts) both graphs and marks the slots each must (re)build: every live slot of its modality for a
    /// new graph; for a loaded one, those changed after the saved sequence and those it holds that are no longer
    /// live records of its modality.
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

        var graphSeq = ReadSavedSeq(Path.Combine(directory, MetaFile));
        var graphs = new HnswGraph[Modalities.Length];
        for (var g = 0; g < graphs.Length; g++)
        {
            var modality = Modalities[g];
            var path = GraphPath(directory, modality);
            graphs[g] = new HnswGraph(
                $"{name}/{VectorRecordValidation.ModalityName(modality)}", dimensions, options,
                graphSeq >= 0 && File.Exists(path) ? path : null, slots => readJoint(slots, modality), logger);
            var graph = graphs[g];
            var dirty = 0;
            for (var slot = 0; slot < slotCount; slot++)
            {
                var mine = modalities[slot] == modality;
                if (!graph.Loaded ? mine : mine ? seqs[slot] > graphSeq : graph.Contains(slot))
                {
                    graph.MarkDirty(slot);
                    dirty++;
                }
            }

            logger.LogInformation(
                "Vector index {Index}: {Modality} HNSW graph {State}, {Dirty} slots to (re)build in the background",
                name, VectorRecordValidation.ModalityName(modality), graph.Loaded ? "loaded" : "new", dirty);
            graph.Kick();
        }

        return new ModalityGraphs(name, directory, logger, graphs);
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

    /// <summary>
    /// Up to <paramref name="count"/> nearest slots from the graph of <paramref name="target"/> (both graphs for 0,
    /// any modality), unordered across graphs; null when a graph cannot answer. <paramref name="exhausted"/> is true
    /// when every graph searched returned fewer than asked, i.e. holds no more records.
    /// </summary>
    public ulong[]? Search(byte target, float[] query, int count, out bool exhausted)
    {
        exhausted = true;
        var found = new List<ulong>();
        foreach (var modality in Modalities)
        {
            if (target != 0 && target != modality)
            {
                continue;
            }

            if (_graphs[modality - 1].Search(query, count) is not { } keys)
            {
                return null;
            }

            exhausted &= keys.Length < count;
            found.AddRange(keys);
        }

        return [.. found];
    }

    /// <summary>Saves both graphs, then the sequence they match; nothing is recorded unless both are caught up.</summary>
    public void Save(long seq)
    {
        try
        {
            foreach (var modality in Modalities)
            {
                // A graph file newer than graph.json is harmless (its later slots are redone on open); an older one
                // is not, so graph.json is written only after both files.
                if (!_graphs[modality - 1].TrySave(GraphPath(_directory, modality)))
                {
                    return;
                }
            }

            AtomicFile.WriteAllBytes(Path.Combine(_directory, MetaFile), JsonSerializer.SerializeToUtf8Bytes(new GraphMeta(seq)));
        }
        catch (Exception ex) when (ex is IOException or Cloud.Unum.USearch.USearchException)
        {
            // The graphs are a cache of the arrays: losing them costs a rebuild, not data.
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

    private static long ReadSavedSeq(string metaPath)
    {
        if (!File.Exists(metaPath))
        {
            return -1;
        }

        try
        {
            return JsonSerializer.Deserialize<GraphMeta>(File.ReadAllBytes(metaPath))?.Seq ?? -1;
        }
        catch (JsonException)
        {
            return -1;
        }
    }

    private sealed record GraphMeta(long Seq);
}
