using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MS2GAN.Storage.Vectors;

/// <summary>
/// One physical index of <see cref="EmbeddedVectorStore"/>: vectors in contiguous row-major arrays (one for S,
/// one for C) with a slot free-list, a write-ahead log replayed at open, a snapshot the log is compacted into,
/// and in HNSW mode a graph built in the background from the arrays.
/// </summary>
internal sealed class VectorIndex : IDisposable
{
    public const string DefinitionFile = "index.json";
    private const string LogFile = "log.bin";
    private const string OldLogFile = "log.old.bin";
    private const string SnapshotFile = "snapshot.bin";
    private const byte OpUpsert = 1;
    private const byte OpDelete = 2;
    private const byte OpSnapshotHeader = 3;
    private const byte OpSnapshotSlot = 4;
    private const byte OpSnapshotEnd = 5;
    private const int SnapshotVersion = 1;
    private const int ParallelRowThreshold = 32_768;
    private const int PrefetchRows = 8;

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ExactScanBatcher _scans;
    private readonly string _directory;
    private readonly EmbeddedVectorStoreOptions _options;
    private readonly ILogger _logger;
    private readonly int _dimS;
    private readonly int _dimC;
    private readonly SortedSet<int> _free = [];
    private readonly Dictionary<(string ItemId, byte Modality), int> _slots = [];
    private float[] _specific;
    private float[] _shared;
    private string?[] _itemIds;
    private byte[] _modalities;
    private string[][] _labels;
    private IReadOnlyDictionary<string, string>[] _metadata;
    private long[] _seqs;
    private int _slotCount;
    private long _lastSeq;
    private FileStream _log;
    private ModalityGraphs? _graphs;
    private Task _compaction = Task.CompletedTask;
    private bool _disposed;

    private VectorIndex(IndexDefinition definition, string directory, EmbeddedVectorStoreOptions options, ILogger logger)
    {
        Definition = definition;
        _directory = directory;
        _options = options;
        _logger = logger;
        _dimS = definition.SpecificDim;
        _dimC = definition.SharedDim;
        _scans = new ExactScanBatcher(ScanBatch);
        _specific = [];
        _shared = [];
        _itemIds = [];
        _modalities = [];
        _labels = [];
        _metadata = [];
        _seqs = [];
        _log = null!;
    }

    public IndexDefinition Definition { get; }

    public string Directory => _directory;

    /// <summary>Opens (or initialises) the index in <paramref name="directory"/>: snapshot, then log replay.</summary>
    public static VectorIndex Open(IndexDefinition definition, string directory, EmbeddedVectorStoreOptions options, ILogger logger)
    {
        var index = new VectorIndex(definition, directory, options, logger);
        index.Load();
        return index;
    }

    public long Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                ThrowIfDisposed();
                return _slots.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public async Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var prepared = new PreparedRecord[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            prepared[i] = Prepare(records[i]);
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
            AppendToLog(EncodeUpsert(seq, prepared));
            _lock.EnterWriteLock();
            try
            {
                foreach (var record in prepared)
                {
                    ApplyUpsert(record, seq);
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
            if (!_slots.ContainsKey((itemId, 1)) && !_slots.ContainsKey((itemId, 2)))
            {
                return 0;
            }

            var seq = _lastSeq + 1;
            AppendToLog(EncodeDelete(seq, itemId));
            int removed;
            _lock.EnterWriteLock();
            try
            {
                removed = ApplyDelete(itemId);
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
            var order = new HitOrder(_itemIds, _modalities);
            if (TrySearchGraph(query, scan.Qs, scan.Qc, scan.Filter, scan.Need, order, cancellationToken) is { } ranked)
            {
                return Task.FromResult<IReadOnlyList<VectorHit>>(ToHits(query, ranked));
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return _scans.RunAsync(scan);
    }

    /// <summary>Exact answers to several queries from one pass over the rows, whatever the load (for tests).</summary>
    internal IReadOnlyList<VectorHit>[] ScanTogether(IReadOnlyList<VectorQuery> queries)
    {
        var batch = queries.Select(PrepareScan).ToArray();
        ScanBatch(batch);
        return [.. batch.Select(scan => scan.Result.GetAwaiter().GetResult())];
    }

    private ExactScan PrepareScan(VectorQuery query)
    {
        VectorRecordValidation.ValidateQuery(query);
        return new ExactScan(
            query,
            VectorRecordValidation.NormalisedQuery(query.Specific, _dimS, query.SpecificWeight, "specific"),
            VectorRecordValidation.NormalisedQuery(query.Shared, _dimC, query.SharedWeight, "shared"),
            new SlotFilter(query),
            query.K + query.Offset);
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
            try
            {
                _compaction.Wait();
            }
            catch (AggregateException ex)
            {
                _logger.LogError(ex, "Vector index {Index}: the background snapshot failed; the old log is kept", Definition.Name);
            }

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

            _log.Dispose();
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

    private PreparedRecord Prepare(VectorRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrEmpty(record.ItemId))
        {
            throw new ArgumentException("A vector record needs an ItemId.");
        }

        var modality = VectorRecordValidation.ModalityCode(record.Modality);
        if (modality == 0)
        {
            throw new ArgumentException($"Item '{record.ItemId}': modality must be 'image' or 'text', not '{record.Modality}'.");
        }

        var s = VectorRecordValidation.Normalised(record.Specific, _dimS, "specific", record.ItemId);
        var c = VectorRecordValidation.Normalised(record.Shared, _dimC, "shared", record.ItemId);
        var labels = record.Labels?.ToArray() ?? [];
        if (labels.Any(l => l is null))
        {
            throw new ArgumentException($"Item '{record.ItemId}': labels must not be null.");
        }

        IReadOnlyDictionary<string, string> metadata = record.Metadata is { Count: > 0 }
            ? new Dictionary<string, string>(record.Metadata, StringComparer.Ordinal)
            : NoMetadata;
        return new PreparedRecord(record.ItemId, modality, s, c, labels, metadata);
    }

    // ---- in-memory state (callers hold the write lock, or are single-threaded during load) ----

    private void ApplyUpsert(PreparedRecord record, long seq, int slot = -1)
    {
        var key = (record.ItemId, record.Modality);
        if (slot >= 0)
        {
            // Snapshot load: the slot number is given, so the free-list is rebuilt from the holes afterwards.
            EnsureCapacity(slot + 1);
            _slotCount = Math.Max(_slotCount, slot + 1);
        }
        else if (!_slots.TryGetValue(key, out slot))
        {
            slot = AllocateSlot();
        }

        _slots[key] = slot;
        record.Specific.CopyTo(_specific.AsSpan(slot * _dimS, _dimS));
        record.Shared.CopyTo(_shared.AsSpan(slot * _dimC, _dimC));
        _itemIds[slot] = record.ItemId;
        _modalities[slot] = record.Modality;
        _labels[slot] = record.Labels;
        _metadata[slot] = record.Metadata;
        _seqs[slot] = seq;
        _graphs?.MarkDirty(slot, record.Modality);
    }

    private int ApplyDelete(string itemId)
    {
        var removed = 0;
        for (byte modality = 1; modality <= 2; modality++)
        {
            if (_slots.Remove((itemId, modality), out var slot))
            {
                _itemIds[slot] = null;
                _modalities[slot] = 0;
                _labels[slot] = [];
                _metadata[slot] = NoMetadata;
                _seqs[slot] = 0;
                _free.Add(slot);
                _graphs?.MarkDirty(slot, modality);
                removed++;
            }
        }

        return removed;
    }

    private int AllocateSlot()
    {
        // Lowest free slot first: replaying the same operations always yields the same slots, which the saved
        // HNSW graph (keyed by slot) relies on.
        if (_free.Count > 0)
        {
            var slot = _free.Min;
            _free.Remove(slot);
            return slot;
        }

        EnsureCapacity(_slotCount + 1);
        return _slotCount++;
    }

    private void EnsureCapacity(int rows)
    {
        if (rows <= _itemIds.Length)
        {
            return;
        }

        var capacity = Math.Max(rows, Math.Max(1024, _itemIds.Length * 2));
        Array.Resize(ref _specific, capacity * _dimS);
        Array.Resize(ref _shared, capacity * _dimC);
        Array.Resize(ref _itemIds, capacity);
        Array.Resize(ref _modalities, capacity);
        Array.Resize(ref _labels, capacity);
        Array.Resize(ref _metadata, capacity);
        Array.Resize(ref _seqs, capacity);
    }

    // ---- search (callers hold the read lock) ----

    /// <summary>One pass over the rows for a batch of queries (see <see cref="ExactScanBatcher"/>); answers each of them.</summary>
    private void ScanBatch(ExactScan[] batch)
    {
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            var order = new HitOrder(_itemIds, _modalities);
            var rows = _slotCount;
            var partitions = rows >= ParallelRowThreshold ? Math.Min(Environment.ProcessorCount, rows / (ParallelRowThreshold / 2)) : 1;
            var collectors = new TopKCollector[Math.Max(1, partitions)][];
            if (collectors.Length == 1)
            {
                collectors[0] = ScanRange(0, rows, batch, order);
            }
            else
            {
                var chunk = (rows + collectors.Length - 1) / collectors.Length;
                Parallel.For(0, collectors.Length, p => collectors[p] = ScanRange(p * chunk, Math.Min(rows, (p + 1) * chunk), batch, order));
            }

            for (var q = 0; q < batch.Length; q++)
            {
                batch[q].Complete(ToHits(batch[q].Query, TopKCollector.Merge(collectors.Select(part => part[q]), order)));
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private TopKCollector[] ScanRange(int start, int end, ExactScan[] batch, HitOrder order)
    {
        var collectors = new TopKCollector[batch.Length];
        for (var q = 0; q < batch.Length; q++)
        {
            collectors[q] = new TopKCollector(batch[q].Need, order);
        }

        // The queries whose filter a row passes, scored four at a time (each row is loaded once per four). Where the
        // target is the whole filter, the row's modality alone decides, so those lists are made once per scan.
        var byModality = new int[3][];
        for (byte modality = 1; modality <= 2; modality++)
        {
            var m = modality;
            byModality[m] = [.. Enumerable.Range(0, batch.Length).Where(q => batch[q].Filter.TargetOnly && batch[q].Filter.MatchesModality(m))];
        }

        var checkEach = Enumerable.Range(0, batch.Length).Where(q => !batch[q].Filter.TargetOnly).ToArray();
        var buffer = new int[batch.Length];
        Span<int> group = stackalloc int[4];
        for (var slot = start; slot < end; slot++)
        {
            if (slot + PrefetchRows < end)
            {
                var ahead = _modalities[slot + PrefetchRows];
                if (ahead != 0 && (byModality[ahead].Length > 0 || checkEach.Length > 0))
                {
                    Prefetch(slot + PrefetchRows);
                }
            }

            var modality = _modalities[slot];
            if (modality == 0)
            {
                continue;
            }

            var active = byModality[modality];
            var count = active.Length;
            if (checkEach.Length > 0)
            {
                active.CopyTo(buffer, 0);
                foreach (var q in checkEach)
                {
                    if (batch[q].Filter.Matches(_itemIds[slot]!, modality, _labels[slot], _metadata[slot]))
                    {
                        buffer[count++] = q;
                    }
                }

                active = buffer;
            }

            if (count == 1)
            {
                var scan = batch[active[0]];
                collectors[active[0]].Offer(Score(slot, scan.Query.SpecificWeight, scan.Query.SharedWeight, scan.Qs, scan.Qc), slot);
                continue;
            }

            // Groups of four; a last group of one to three is padded by repeating its last query (four dots cost
            // little more than one), and only its real queries are offered.
            var specific = new ReadOnlySpan<float>(_specific, slot * _dimS, _dimS);
            var shared = new ReadOnlySpan<float>(_shared, slot * _dimC, _dimC);
            for (var i = 0; i < count; i += 4)
            {
                var real = Math.Min(4, count - i);
                for (var g = 0; g < 4; g++)
                {
                    group[g] = active[i + Math.Min(g, real - 1)];
                }

                Offer4(collectors, batch, group, real, specific, shared, slot);
            }
        }

        return collectors;
    }

    /// <summary>
    /// Asks for a row's vectors before the scan needs them. The scan is bound by memory latency more than by its
    /// arithmetic; a few rows of lead keeps enough loads in flight (measured: 13.5 ms to scan 100,000 image rows
    /// of 128+128 dims without, see infra/scripts/bench-pipeline.sh and the `exact` benchmark).
    /// </summary>
    private unsafe void Prefetch(int slot)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        fixed (float* specific = &_specific[slot * _dimS], shared = &_shared[slot * _dimC])
        {
            for (var offset = 0; offset < _dimS; offset += 16)
            {
                Sse.Prefetch0(specific + offset);
            }

            for (var offset = 0; offset < _dimC; offset += 16)
            {
                Sse.Prefetch0(shared + offset);
            }
        }
    }

    /// <summary>Scores one row for four queries (the first <paramref name="real"/> of them offered); the same figures <see cref="Score"/> gives for each of them.</summary>
    private static void Offer4(
        TopKCollector[] collectors, ExactScan[] batch, ReadOnlySpan<int> queries, int real,
        ReadOnlySpan<float> specific, ReadOnlySpan<float> shared, int slot)
    {
        ExactScan a = batch[queries[0]], b = batch[queries[1]], c = batch[queries[2]], d = batch[queries[3]];
        DotKernel.Dot4(specific, a.Qs, b.Qs, c.Qs, d.Qs, out var sa, out var sb, out var sc, out var sd);
        DotKernel.Dot4(shared, a.Qc, b.Qc, c.Qc, d.Qc, out var ca, out var cb, out var cc, out var cd);
        collectors[queries[0]].Offer(Weigh(a.Query.SpecificWeight, a.Query.SharedWeight, sa, ca), slot);
        if (real > 1)
        {
            collectors[queries[1]].Offer(Weigh(b.Query.SpecificWeight, b.Query.SharedWeight, sb, cb), slot);
        }

        if (real > 2)
        {
            collectors[queries[2]].Offer(Weigh(c.Query.SpecificWeight, c.Query.SharedWeight, sc, cc), slot);
        }

        if (real > 3)
        {
            collectors[queries[3]].Offer(Weigh(d.Query.SpecificWeight, d.Query.SharedWeight, sd, cd), slot);
        }
    }

    /// <summary>The weighted score from the two dot products; a term whose weight is 0 is left out.</summary>
    private static double Weigh(double ws, double wc, float specificDot, float sharedDot)
    {
        var score = 0d;
        if (ws != 0)
        {
            score += ws * specificDot;
        }

        if (wc != 0)
        {
            score += wc * sharedDot;
        }

        return score;
    }

    /// <summary>The page of <paramref name="ranked"/> the query asked for, as hits; under the read lock.</summary>
    private List<VectorHit> ToHits(VectorQuery query, List<ScoredSlot> ranked)
    {
        var hits = new List<VectorHit>(Math.Max(0, Math.Min(query.K, ranked.Count - query.Offset)));
        for (var i = query.Offset; i < ranked.Count && hits.Count < query.K; i++)
        {
            var slot = ranked[i].Slot;
            hits.Add(new VectorHit(
                _itemIds[slot]!, VectorRecordValidation.ModalityName(_modalities[slot]), ranked[i].Score,
                Array.AsReadOnly(_labels[slot]), _metadata[slot]));
        }

        return hits;
    }

    private double Score(int slot, double ws, double wc, float[] qs, float[] qc) => Weigh(
        ws,
        wc,
        ws != 0 ? DotKernel.Dot(new ReadOnlySpan<float>(_specific, slot * _dimS, _dimS), qs) : 0,
        wc != 0 ? DotKernel.Dot(new ReadOnlySpan<float>(_shared, slot * _dimC, _dimC), qc) : 0);

    /// <summary>
    /// HNSW search of the target modality's graph (both graphs for "any") with over-fetch and post-filter (the
    /// wrapper has no filtered search). Null means "use the exact scan": no graph, below the threshold, graphs behind
    /// the arrays, or labels and metadata too selective to fill k.
    /// </summary>
    private List<ScoredSlot>? TrySearchGraph(
        VectorQuery query, float[] qs, float[] qc, SlotFilter filter, int need, HitOrder order, CancellationToken ct)
    {
        var live = _slots.Count;
        if (_graphs is null || live < _options.HnswThreshold || live == 0 || !_graphs.IsCaughtUp)
        {
            return null;
        }

        var joint = new float[_dimS + _dimC];
        TensorPrimitives.Multiply(qs, (float)query.SpecificWeight, joint.AsSpan(0, _dimS));
        TensorPrimitives.Multiply(qc, (float)query.SharedWeight, joint.AsSpan(_dimS));
        var target = VectorRecordValidation.ModalityCode(query.Target);
        // The wrapper has no per-query ef: asking for more candidates widens the search (ef = max(ef, count)), so
        // fetching HnswExpansionSearch candidates searches with that ef; the exact re-score fixes their order.
        // The graph already holds only the target modality, so only labels, metadata and the excluded item discard.
        var wanted = (need * (filter.IsSelective ? 8L : 1L)) + (query.ExcludeItemId is null ? 0 : 1);
        var fetch = (int)Math.Min(live, Math.Max(wanted, _options.HnswExpansionSearch));
        for (var round = 0; round < 4; round++)
        {
            ct.ThrowIfCancellationRequested();
            var collector = new TopKCollector(need, order);
            if (_graphs.Search(target, joint, fetch, out var exhausted) is not { } keys)
            {
                return null;
            }

            foreach (var key in keys)
            {
                var slot = (int)key;
                if (_modalities[slot] != 0 && filter.Matches(_itemIds[slot]!, _modalities[slot], _labels[slot], _metadata[slot]))
                {
                    collector.Offer(Score(slot, query.SpecificWeight, query.SharedWeight, qs, qc), slot);
                }
            }

            if (collector.Count >= need)
            {
                return TopKCollector.Merge([collector], order);
            }

            if (exhausted || fetch >= live)
            {
                break;
            }

            fetch = (int)Math.Min(live, fetch * 8L);
        }

        return null;
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
                var slot = slots[i];
                if (slot < _slotCount && _modalities[slot] == modality)
                {
                    var joint = new float[_dimS + _dimC];
                    _specific.AsSpan(slot * _dimS, _dimS).CopyTo(joint);
                    _shared.AsSpan(slot * _dimC, _dimC).CopyTo(joint.AsSpan(_dimS));
                    result[i] = joint;
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return result;
    }

    // ---- persistence ----

    private void Load()
    {
        System.IO.Directory.CreateDirectory(_directory);
        var snapshotPath = Path.Combine(_directory, SnapshotFile);
        if (File.Exists(snapshotPath))
        {
            LoadSnapshot(snapshotPath);
        }

        var replayed = 0;
        var oldLogPath = Path.Combine(_directory, OldLogFile);
        if (File.Exists(oldLogPath))
        {
            // The log of a compaction that did not finish: it comes before the current log.
            using var oldLog = new FileStream(oldLogPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            while (FrameIO.TryRead(oldLog) is { } payload)
            {
                ReplayLogPayload(payload, ref replayed);
            }
        }

        var logPath = Path.Combine(_directory, LogFile);
        _log = new FileStream(logPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        long goodEnd = 0;
        while (FrameIO.TryRead(_log) is { } payload)
        {
            ReplayLogPayload(payload, ref replayed);
            goodEnd = _log.Position;
        }

        if (goodEnd < _log.Length)
        {
            // A torn or corrupt tail is a write that was never acknowledged (its fsync did not return): drop it.
            _logger.LogWarning(
                "Vector index {Index}: ignoring {Bytes} bytes of an incomplete log record at offset {Offset}",
                Definition.Name, _log.Length - goodEnd, goodEnd);
            _log.SetLength(goodEnd);
            _log.Flush(flushToDisk: true);
        }

        _log.Position = _log.Length;
        _logger.LogInformation(
            "Vector index {Index} opened: {Records} records, {Replayed} log entries replayed",
            Definition.Name, _slots.Count, replayed);

        if (_options.Mode == VectorSearchMode.Hnsw)
        {
            OpenGraph();
        }
    }

    private void ReplayLogPayload(byte[] payload, ref int replayed)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var op = reader.ReadByte();
        var seq = reader.ReadInt64();
        if (seq <= _lastSeq)
        {
            // Already in the snapshot (a crash between the snapshot's rename and the log's truncation).
            return;
        }

        switch (op)
        {
            case OpUpsert:
                var count = reader.ReadInt32();
                for (var i = 0; i < count; i++)
                {
                    ApplyUpsert(ReadRecord(reader), seq);
                }

                break;
            case OpDelete:
                ApplyDelete(reader.ReadString());
                break;
            default:
                throw new InvalidDataException($"Vector index {Definition.Name}: unknown log operation {op}.");
        }

        _lastSeq = seq;
        replayed++;
    }

    private void LoadSnapshot(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var header = FrameIO.TryRead(stream) ?? throw Corrupt(path);
        using (var reader = new BinaryReader(new MemoryStream(header), Encoding.UTF8))
        {
            if (reader.ReadByte() != OpSnapshotHeader || reader.ReadInt32() != SnapshotVersion
                || reader.ReadInt32() != _dimS || reader.ReadInt32() != _dimC)
            {
                throw Corrupt(path);
            }

            _lastSeq = reader.ReadInt64();
            EnsureCapacity(reader.ReadInt32());
        }

        var records = 0;
        while (true)
        {
            var payload = FrameIO.TryRead(stream) ?? throw Corrupt(path);
            using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
            var op = reader.ReadByte();
            if (op == OpSnapshotEnd)
            {
                if (reader.ReadInt32() != records)
                {
                    throw Corrupt(path);
                }

                break;
            }

            if (op != OpSnapshotSlot)
            {
                throw Corrupt(path);
            }

            var slot = reader.ReadInt32();
            var seq = reader.ReadInt64();
            ApplyUpsert(ReadRecord(reader), seq, slot);
            records++;
        }

        for (var slot = 0; slot < _slotCount; slot++)
        {
            if (_modalities[slot] == 0)
            {
                _free.Add(slot);
            }
        }
    }

    private static InvalidDataException Corrupt(string path) =>
        new($"Vector snapshot '{path}' is corrupt or was written for other dimensions.");

    private void AppendToLog(ReadOnlySpan<byte> payload)
    {
        FrameIO.Write(_log, payload);
        _log.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Called by writers under the write gate. Once the log passes <see cref="EmbeddedVectorStoreOptions.CompactAfterLogBytes"/>
    /// it becomes the old log and writes go on in a fresh one at once; the snapshot is written in the background
    /// from a copy of the state taken at that moment, and the old log is deleted when the snapshot is on disk.
    /// So writers wait for a copy in memory, not for the snapshot's disk write. Until then (or after a crash) the
    /// old log is replayed on open; entries the snapshot already holds are skipped by sequence number.
    /// </summary>
    private void CompactIfNeeded()
    {
        if (_log.Length < _options.CompactAfterLogBytes || !_compaction.IsCompleted)
        {
            return;
        }

        var oldLog = Path.Combine(_directory, OldLogFile);
        if (File.Exists(oldLog))
        {
            // A compaction that failed (or was cut short by a crash) left its log: fold both logs in, in one step.
            var everything = CaptureSnapshot();
            AtomicFile.Write(Path.Combine(_directory, SnapshotFile), stream => WriteSnapshot(stream, everything));
            File.Delete(oldLog);
            _log.SetLength(0);
            _log.Flush(flushToDisk: true);
            LogCompacted(everything);
            SaveGraph();
            return;
        }

        _log.Flush(flushToDisk: true);
        _log.Dispose();
        File.Move(Path.Combine(_directory, LogFile), oldLog);
        _log = new FileStream(Path.Combine(_directory, LogFile), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        var state = CaptureSnapshot();
        _compaction = Task.Run(() => WriteSnapshotInBackground(state, oldLog));
    }

    private void WriteSnapshotInBackground(SnapshotState state, string oldLog)
    {
        try
        {
            AtomicFile.Write(Path.Combine(_directory, SnapshotFile), stream => WriteSnapshot(stream, state));
            File.Delete(oldLog);
            LogCompacted(state);
            SaveGraph();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing is lost: the old log stays and is replayed on open; the next compaction folds it in.
            _logger.LogError(ex, "Vector index {Index}: writing the snapshot failed; the old log is kept", Definition.Name);
        }
    }

    private void LogCompacted(SnapshotState state) =>
        _logger.LogInformation("Vector index {Index} compacted: a snapshot at sequence {Seq}", Definition.Name, state.LastSeq);

    /// <summary>A copy of the rows as they are now, for a snapshot written while writes go on.</summary>
    private SnapshotState CaptureSnapshot()
    {
        _lock.EnterReadLock();
        try
        {
            var rows = _slotCount;
            return new SnapshotState(
                _lastSeq, rows, _itemIds[..rows], _modalities[..rows], _labels[..rows], _metadata[..rows], _seqs[..rows],
                _specific[..(rows * _dimS)], _shared[..(rows * _dimC)]);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void WriteSnapshot(Stream stream, SnapshotState state)
    {
        var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true);
        void Flush()
        {
            writer.Flush();
            FrameIO.Write(stream, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            buffer.SetLength(0);
        }

        writer.Write(OpSnapshotHeader);
        writer.Write(SnapshotVersion);
        writer.Write(_dimS);
        writer.Write(_dimC);
        writer.Write(state.LastSeq);
        writer.Write(state.Rows);
        Flush();
        var records = 0;
        for (var slot = 0; slot < state.Rows; slot++)
        {
            if (state.Modalities[slot] == 0)
            {
                continue;
            }

            writer.Write(OpSnapshotSlot);
            writer.Write(slot);
            writer.Write(state.Seqs[slot]);
            WriteRecord(writer, new PreparedRecord(
                state.ItemIds[slot]!, state.Modalities[slot],
                state.Specific.AsSpan(slot * _dimS, _dimS).ToArray(), state.Shared.AsSpan(slot * _dimC, _dimC).ToArray(),
                state.Labels[slot], state.Metadata[slot]));
            Flush();
            records++;
        }

        writer.Write(OpSnapshotEnd);
        writer.Write(records);
        Flush();
    }

    private ArraySegment<byte> EncodeUpsert(long seq, PreparedRecord[] records)
    {
        // Sized for the vectors up front and handed over without a copy: a batch is megabytes (a reindex page of 1,000
        // items is 2 MB), and growing by doubling then copying out allocated several times that on the large object
        // heap, which forced full collections.
        using var buffer = new MemoryStream(16 + (records.Length * (64 + (sizeof(float) * (_dimS + _dimC)))));
        using var writer = new BinaryWriter(buffer, Encoding.UTF8);
        writer.Write(OpUpsert);
        writer.Write(seq);
        writer.Write(records.Length);
        foreach (var record in records)
        {
            WriteRecord(writer, record);
        }

        writer.Flush();
        return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static byte[] EncodeDelete(long seq, string itemId)
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, Encoding.UTF8);
        writer.Write(OpDelete);
        writer.Write(seq);
        writer.Write(itemId);
        writer.Flush();
        return buffer.ToArray();
    }

    private static void WriteRecord(BinaryWriter writer, PreparedRecord record)
    {
        writer.Write(record.ItemId);
        writer.Write(record.Modality);
        writer.Write(MemoryMarshal.AsBytes(record.Specific.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(record.Shared.AsSpan()));
        writer.Write(record.Labels.Length);
        foreach (var label in record.Labels)
        {
            writer.Write(label);
        }

        writer.Write(record.Metadata.Count);
        foreach (var (key, value) in record.Metadata)
        {
            writer.Write(key);
            writer.Write(value);
        }
    }

    private PreparedRecord ReadRecord(BinaryReader reader)
    {
        var itemId = reader.ReadString();
        var modality = reader.ReadByte();
        var s = new float[_dimS];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(s.AsSpan()));
        var c = new float[_dimC];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(c.AsSpan()));
        var labels = new string[reader.ReadInt32()];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = reader.ReadString();
        }

        var metadataCount = reader.ReadInt32();
        IReadOnlyDictionary<string, string> metadata = NoMetadata;
        if (metadataCount > 0)
        {
            var dictionary = new Dictionary<string, string>(metadataCount, StringComparer.Ordinal);
            for (var i = 0; i < metadataCount; i++)
            {
                dictionary[reader.ReadString()] = reader.ReadString();
            }

            metadata = dictionary;
        }

        return new PreparedRecord(itemId, modality, s, c, labels, metadata);
    }

    // ---- HNSW graph persistence ----

    private void OpenGraph() =>
        _graphs = ModalityGraphs.Open(
            Definition.Name, _directory, _dimS + _dimC, _options, ReadJoint, _modalities, _seqs, _slotCount, _logger);

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

    private sealed record SnapshotState(
        long LastSeq, int Rows, string?[] ItemIds, byte[] Modalities, string[][] Labels,
        IReadOnlyDictionary<string, string>[] Metadata, long[] Seqs, float[] Specific, float[] Shared);

    private sealed record PreparedRecord(
        string ItemId, byte Modality, float[] Specific, float[] Shared, string[] Labels,
        IReadOnlyDictionary<string, string> Metadata);
}
