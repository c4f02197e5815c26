using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// One physical index of <see cref="EmbeddedVectorStore"/>: it coordinates the rows in memory (<see cref="SlotTable"/>),
/// their files (<see cref="IndexPersistence"/>: write-ahead log and snapshot), the exact scan (<see cref="ExactScanner"/>,
/// shared by concurrent callers through <see cref="ExactScanBatcher"/>) and, in HNSW mode, the graphs built in the
/// background (<see cref="ModalityGraphs"/>). Writers are serialised by a gate and log before they apply; readers and
/// the writers' apply step share a reader/writer lock.
/// </summary>
internal sealed class VectorIndex : IDisposable
{
    public const string DefinitionFile = "index.json";

    /// <summary>Past this many rows waiting for the graph, a search scans exactly instead of graph plus pending rows.</summary>
    private const int MaxPendingRows = 32_768;

    /// <summary>Candidates fetched per result wanted from an int8 graph, for the exact rescore to choose from.</summary>
    private const int Int8Oversample = 4;

    /// <summary>Rows sampled to estimate how selective a metadata filter is.</summary>
    private const int SelectivitySamples = 2_048;

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ExactScanBatcher _scans;
    private readonly EmbeddedVectorStoreOptions _options;
    private readonly ILogger _logger;
    private readonly SlotTable _table;
    private readonly ExactScanner _scanner;
    private IndexPersistence _files;
    private long _lastSeq;
    private ModalityGraphs? _graphs;
    private double _filterExactBelow;
    private bool _disposed;

    private VectorIndex(IndexDefinition definition, string directory, EmbeddedVectorStoreOptions options, ILogger logger)
    {
        Definition = definition;
        Directory = directory;
        _options = options;
        _logger = logger;
        _table = new SlotTable(definition.SpecificDim, definition.SharedDim);
        _scanner = new ExactScanner(_table);
        _scans = new ExactScanBatcher(ScanBatch);
        _filterExactBelow = options.HnswFilterExactBelow;
        _files = null!;
    }

    public IndexDefinition Definition { get; }

    public string Directory { get; }

    public long Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                ThrowIfDisposed();
                return _table.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Opens (or initialises) the index in <paramref name="directory"/>: snapshot, then log replay, then graphs.</summary>
    public static VectorIndex Open(IndexDefinition definition, string directory, EmbeddedVectorStoreOptions options, ILogger logger)
    {
        var index = new VectorIndex(definition, directory, options, logger);
        index._files = IndexPersistence.Open(definition.Name, directory, index._table, logger);
        index._lastSeq = index._files.LoadedSeq;
        if (options.Mode == VectorSearchMode.Hnsw)
        {
            index._graphs = ModalityGraphs.Open(
                definition.Name, directory, definition.SpecificDim + definition.SharedDim, options, index.ReadJoint,
                index._table.Modalities, index._table.Seqs, index._table.SlotCount, logger);
        }

        return index;
    }

    public async Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var prepared = new PreparedRecord[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            prepared[i] = PreparedRecord.From(records[i], _table.SpecificDim, _table.SharedDim);
        }

        if (prepared.Length == 0)
        {
            return;
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            var seq = _lastSeq + 1;
            var slots = _table.PlanSlots(prepared);
            _files.AppendPut(seq, prepared, slots);
            _lock.EnterWriteLock();
            try
            {
                for (var i = 0; i < prepared.Length; i++)
                {
                    _table.Put(prepared[i], seq, slots[i]);
                    _graphs?.MarkDirty(slots[i], prepared[i].Modality);
                }

                _lastSeq = seq;
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            _graphs?.Kick();
            CompactIfNeeded();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<int> DeleteItemAsync(string itemId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemId);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            var slots = _table.SlotsOf(itemId);
            if (slots.Length == 0)
            {
                return 0;
            }

            var seq = _lastSeq + 1;
            _files.AppendFree(seq, slots);
            var removed = slots.Length;
            _lock.EnterWriteLock();
            try
            {
                foreach (var slot in slots)
                {
                    var modality = _table.Free(slot);
                    _graphs?.MarkDirty(slot, modality);
                }

                _lastSeq = seq;
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            _graphs?.Kick();
            CompactIfNeeded();
            return removed;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public Task<IReadOnlyList<VectorHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken)
    {
        var scan = PrepareScan(query);
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            if (TrySearchGraph(query, scan.Qs, scan.Qc, scan.Filter, scan.Need, _table.Order, cancellationToken) is { } ranked)
            {
                return Task.FromResult<IReadOnlyList<VectorHit>>(_table.ToHits(query, ranked));
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return _scans.RunAsync(scan);
    }

    /// <summary>
    /// Answers many queries at once: those the graph takes through it, the others together in one blocked pass over
    /// the rows (every row loaded once for all of them), whatever else is in flight.
    /// </summary>
    public IReadOnlyList<VectorHit>[] SearchBatch(IReadOnlyList<VectorQuery> queries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var scans = queries.Select(PrepareScan).ToArray();
        var answers = new IReadOnlyList<VectorHit>[scans.Length];
        var exact = new List<int>();
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            for (var i = 0; i < scans.Length; i++)
            {
                var scan = scans[i];
                if (TrySearchGraph(scan.Query, scan.Qs, scan.Qc, scan.Filter, scan.Need, _table.Order, cancellationToken) is { } ranked)
                {
                    answers[i] = _table.ToHits(scan.Query, ranked);
                }
                else
                {
                    exact.Add(i);
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (exact.Count > 0)
        {
            var batch = exact.Select(i => scans[i]).ToArray();
            ScanBatch(batch);
            for (var j = 0; j < exact.Count; j++)
            {
                answers[exact[j]] = batch[j].Result.GetAwaiter().GetResult();
            }
        }

        return answers;
    }

    /// <summary>Exact answers to several queries from one pass over the rows, whatever the load (for tests).</summary>
    internal IReadOnlyList<VectorHit>[] ScanTogether(IReadOnlyList<VectorQuery> queries)
    {
        var batch = queries.Select(PrepareScan).ToArray();
        ScanBatch(batch);
        return [.. batch.Select(scan => scan.Result.GetAwaiter().GetResult())];
    }

    /// <summary>The state of the HNSW graphs, for benchmarks and tests; null in exact mode.</summary>
    internal GraphStats? GraphStats()
    {
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            return _graphs is null ? null : new GraphStats(
                _graphs.RebuiltOnOpen, _graphs.IsCaughtUp, _graphs.MemoryBytes, _graphs.ExpansionSearch,
                _graphs.Absent(_table.Modalities, _table.SlotCount));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Changes the graphs' ef and the filter selectivity below which label filters scan exactly (benchmarks sweep both).</summary>
    internal void Tune(int? expansionSearch, double? filterExactBelow)
    {
        if (expansionSearch is { } ef)
        {
            _graphs?.SetExpansionSearch(ef);
        }

        if (filterExactBelow is { } below)
        {
            _filterExactBelow = below;
        }
    }

    /// <summary>Waits for the HNSW graph; true when searches of this index may now use it.</summary>
    public async Task<bool> WaitForGraphAsync(CancellationToken cancellationToken)
    {
        if (_graphs is null)
        {
            return false;
        }

        await _graphs.WaitCaughtUpAsync(cancellationToken).ConfigureAwait(false);
        return Count >= _options.HnswThreshold;
    }

    public void Dispose()
    {
        _writeGate.Wait();
        try
        {
            // A snapshot being written in the background finishes first; if it failed, the old log is still there.
            _files.WaitForCompaction();
            _lock.EnterWriteLock();
            try
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            if (_graphs is not null)
            {
                SaveGraph();
                _graphs.Dispose();
            }

            _files.Dispose();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new VectorIndexNotFoundException(Definition.Name);
        }
    }

    private ExactScan PrepareScan(VectorQuery query)
    {
        VectorRecordValidation.ValidateQuery(query);
        return new ExactScan(
            query,
            VectorRecordValidation.NormalisedQuery(query.Specific, _table.SpecificDim, query.SpecificWeight, "specific"),
            VectorRecordValidation.NormalisedQuery(query.Shared, _table.SharedDim, query.SharedWeight, "shared"),
            new SlotFilter(query),
            query.K + query.Offset);
    }

    /// <summary>One pass over the rows for a batch of queries (see <see cref="ExactScanBatcher"/>); answers each of them.</summary>
    private void ScanBatch(ExactScan[] batch)
    {
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            var ranked = _scanner.Scan(batch);
            for (var q = 0; q < batch.Length; q++)
            {
                batch[q].Complete(_table.ToHits(batch[q].Query, ranked[q]));
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// HNSW search of the target modality's graph (both graphs for "any"), the labels, metadata and excluded item
    /// applied inside the traversal, plus an exact score of the pending rows (written since the graph last caught
    /// up; their graph entries are skipped). A label filter that matches less than
    /// <see cref="EmbeddedVectorStoreOptions.HnswFilterExactBelow"/> of the target's records is answered from an exact
    /// score of the rows carrying those labels. Null means "use the exact scan": no graph, below the threshold, the
    /// graph failed, too many pending rows, or a selective metadata filter. The caller holds the read lock.
    /// </summary>
    private List<ScoredSlot>? TrySearchGraph(
        VectorQuery query, float[] qs, float[] qc, SlotFilter filter, int need, HitOrder order, CancellationToken ct)
    {
        var live = _table.Count;
        if (_graphs is null || live < _options.HnswThreshold || live == 0 || _graphs.Failed)
        {
            return null;
        }

        var target = filter.Target;
        if (filter.IsSelective)
        {
            // The label lists hold both modalities: their length against all live records estimates the target's share.
            var limit = (int)Math.Min(int.MaxValue, (long)Math.Ceiling(live * _filterExactBelow));
            if (filter.Labels is { } labels && _table.SlotsWithAnyLabel(labels, limit) is { } candidates)
            {
                return ScoreExactly(candidates, query, qs, qc, filter, need, order);
            }

            if (filter.Labels is null && _table.EstimateSelectivity(filter, SelectivitySamples) < _filterExactBelow)
            {
                return null;
            }
        }

        if (_graphs.PendingSlots(target, MaxPendingRows) is not { } pending)
        {
            return null;
        }

        ct.ThrowIfCancellationRequested();
        var joint = new float[_table.SpecificDim + _table.SharedDim];
        TensorPrimitives.Multiply(qs, (float)query.SpecificWeight, joint.AsSpan(0, _table.SpecificDim));
        TensorPrimitives.Multiply(qc, (float)query.SharedWeight, joint.AsSpan(_table.SpecificDim));
        var graphFilter = new GraphFilter(_table, filter, pending.Length > 0 ? [.. pending] : null);
        // int8 graphs rank by quantized vectors: more candidates are fetched and the exact rescore picks the top.
        var fetch = _options.HnswInt8 ? need * Int8Oversample : need;
        var found = new List<int>(fetch * 2);
        if (!_graphs.Search(target, joint, fetch, graphFilter.IsNeeded ? graphFilter : null, found))
        {
            return null;
        }

        var collector = new TopKCollector(need, order);
        foreach (var slot in found)
        {
            if (_table.Matches(slot, filter))
            {
                collector.Offer(_scanner.Score(slot, query.SpecificWeight, query.SharedWeight, qs, qc), slot);
            }
        }

        foreach (var slot in pending)
        {
            if (_table.Matches(slot, filter))
            {
                collector.Offer(_scanner.Score(slot, query.SpecificWeight, query.SharedWeight, qs, qc), slot);
            }
        }

        return TopKCollector.Merge([collector], order);
    }

    /// <summary>The exact top of <paramref name="slots"/> that pass the filter (a superset of the matches, e.g. a label list).</summary>
    private List<ScoredSlot> ScoreExactly(
        IEnumerable<int> slots, VectorQuery query, float[] qs, float[] qc, SlotFilter filter, int need, HitOrder order)
    {
        var collector = new TopKCollector(need, order);
        foreach (var slot in slots)
        {
            if (_table.Matches(slot, filter))
            {
                collector.Offer(_scanner.Score(slot, query.SpecificWeight, query.SharedWeight, qs, qc), slot);
            }
        }

        return TopKCollector.Merge([collector], order);
    }

    /// <summary>Joint [S ; C] vectors of the slots, null for a slot that is not a live record of <paramref name="modality"/>.</summary>
    private float[]?[] ReadJoint(int[] slots, byte modality)
    {
        var result = new float[]?[slots.Length];
        _lock.EnterReadLock();
        try
        {
            for (var i = 0; i < slots.Length; i++)
            {
                result[i] = _table.Joint(slots[i], modality);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return result;
    }

    private void CompactIfNeeded() => _files.CompactIfNeeded(_options.CompactAfterLogBytes, _lastSeq, ReadRows, SaveGraph);

    /// <summary>A chunk of rows for a snapshot, under the read lock (writers wait for one chunk at most).</summary>
    private bool ReadRows(int start, int count, List<(int Slot, long Seq, PreparedRecord Record)> into, out int slotCount)
    {
        _lock.EnterReadLock();
        try
        {
            _table.ReadRows(start, count, into);
            slotCount = _table.SlotCount;
            return start + count < slotCount;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void SaveGraph()
    {
        if (_graphs is null)
        {
            return;
        }

        _lock.EnterReadLock();
        try
        {
            // Under the read lock no write lands between reading the sequence and saving the graphs it describes.
            _graphs.Save(_lastSeq);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
