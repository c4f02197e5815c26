using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The files of one index that hold its records: a write-ahead log (<c>log.bin</c>) of checksummed frames, each a
/// batch of records put into given slots or a list of slots freed, with its sequence number, and a snapshot
/// (<c>snapshot.bin</c>) the log is compacted into. At open the snapshot is loaded and the logs replayed into a
/// <see cref="SlotTable"/>; afterwards each write is appended and fsynced before it is applied. The log names the
/// slots, so replay puts every record where it was (the saved HNSW graphs are keyed by slot) whatever order the
/// snapshot caught the rows in. Callers serialise writes (the index's write gate).
/// </summary>
internal sealed class IndexPersistence : IDisposable
{
    private const string LogFile = "log.bin";
    private const string OldLogFile = "log.old.bin";
    private const string SnapshotFile = "snapshot.bin";
    private const byte OpUpsert = 1;
    private const byte OpDelete = 2;
    private const byte OpSnapshotHeader = 3;
    private const byte OpSnapshotSlot = 4;
    private const byte OpSnapshotEnd = 5;
    private const byte OpPut = 6;
    private const byte OpFree = 7;

    // A put whose records end with their auto-label (OpPut's records, written before auto-labels, have none).
    private const byte OpPutWithAutoLabels = 8;

    /// <summary>Rows read from the table under one hold of its lock while a snapshot is written.</summary>
    private const int SnapshotChunk = 4096;
    // Version 2 records end with their auto-label; version 1 snapshots are still read.
    private const int SnapshotVersion = 2;

    private readonly string _name;
    private readonly string _directory;
    private readonly int _dimS;
    private readonly int _dimC;
    private readonly ILogger _logger;
    private FileStream _log;
    private Task _compaction = Task.CompletedTask;
    private long _snapshotBytes;

    private IndexPersistence(string name, string directory, int dimS, int dimC, ILogger logger)
    {
        _name = name;
        _directory = directory;
        _dimS = dimS;
        _dimC = dimC;
        _logger = logger;
        _log = null!;
    }

    /// <summary>The sequence number of the last write loaded at open.</summary>
    public long LoadedSeq { get; private set; }

    /// <summary>
    /// Opens the files in <paramref name="directory"/> (creating an empty log when there is none) and loads every
    /// acknowledged write into <paramref name="table"/>: the snapshot, then the log of an unfinished compaction, then
    /// the log. A torn or corrupt tail of the log is cut off.
    /// </summary>
    public static IndexPersistence Open(string name, string directory, SlotTable table, ILogger logger)
    {
        var persistence = new IndexPersistence(name, directory, table.SpecificDim, table.SharedDim, logger);
        persistence.Load(table);
        return persistence;
    }

    /// <summary>Logs (and fsyncs) records put into the given slots.</summary>
    public void AppendPut(long seq, PreparedRecord[] records, int[] slots) => Append(EncodePut(seq, records, slots));

    /// <summary>Logs (and fsyncs) slots freed.</summary>
    public void AppendFree(long seq, int[] slots) => Append(EncodeFree(seq, slots));

    /// <summary>
    /// Called by writers under the write gate. Once the log passes <paramref name="compactAfterBytes"/> and the size of
    /// the last snapshot (so each byte written is copied into a snapshot a bounded number of times, whatever the size
    /// of the index) it becomes the old log and writes go on in a fresh one at once. The snapshot is written in the
    /// background, <see cref="SnapshotChunk"/> rows at a time read by <paramref name="readRows"/> under the table's
    /// lock (no copy of the whole state), and the old log is deleted when the snapshot is on disk (then
    /// <paramref name="written"/> runs). Rows caught after the log was set aside may be newer than the snapshot's
    /// sequence; the log replayed after it rewrites each such slot as it ends up. Until the snapshot is on disk (or
    /// after a crash) the old log is replayed on open.
    /// </summary>
    public void CompactIfNeeded(long compactAfterBytes, long lastSeq, ReadRows readRows, Action written)
    {
        if (_log.Length < Math.Max(compactAfterBytes, _snapshotBytes) || !_compaction.IsCompleted)
        {
            return;
        }

        var oldLog = Path.Combine(_directory, OldLogFile);
        if (File.Exists(oldLog))
        {
            // A compaction that failed (or was cut short by a crash) left its log: fold both logs in, in one step,
            // while writers wait (so the snapshot is exact and both logs can go).
            WriteSnapshotFile(lastSeq, readRows);
            File.Delete(oldLog);
            _log.SetLength(0);
            _log.Flush(flushToDisk: true);
            LogCompacted(lastSeq);
            written();
            return;
        }

        _log.Flush(flushToDisk: true);
        _log.Dispose();
        File.Move(Path.Combine(_directory, LogFile), oldLog);
        _log = new FileStream(Path.Combine(_directory, LogFile), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        _compaction = Task.Run(() => WriteSnapshotInBackground(lastSeq, readRows, oldLog, written));
    }

    /// <summary>Waits for a snapshot still being written in the background; if it failed, the old log is still there.</summary>
    public void WaitForCompaction()
    {
        try
        {
            _compaction.Wait();
        }
        catch (AggregateException ex)
        {
            _logger.LogError(ex, "Vector index {Index}: the background snapshot failed; the old log is kept", _name);
        }
    }

    public void Dispose() => _log.Dispose();

    /// <summary>
    /// Reads up to <paramref name="count"/> live rows from slot <paramref name="start"/> on into <paramref name="into"/>
    /// (under the table's lock) and gives the table's slot count; false when no slots are left after these.
    /// </summary>
    public delegate bool ReadRows(int start, int count, List<(int Slot, long Seq, PreparedRecord Record)> into, out int slotCount);

    private void Load(SlotTable table)
    {
        Directory.CreateDirectory(_directory);
        var snapshotPath = Path.Combine(_directory, SnapshotFile);
        long lastSeq = 0;
        if (File.Exists(snapshotPath))
        {
            lastSeq = LoadSnapshot(snapshotPath, table);
            _snapshotBytes = new FileInfo(snapshotPath).Length;
        }

        var replayed = 0;
        var oldLogPath = Path.Combine(_directory, OldLogFile);
        if (File.Exists(oldLogPath))
        {
            // The log of a compaction that did not finish: it comes before the current log.
            using var oldLog = new FileStream(oldLogPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            while (FrameIO.TryRead(oldLog) is { } payload)
            {
                Replay(payload, table, ref lastSeq, ref replayed);
            }
        }

        var logPath = Path.Combine(_directory, LogFile);
        _log = new FileStream(logPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        long goodEnd = 0;
        while (FrameIO.TryRead(_log) is { } payload)
        {
            Replay(payload, table, ref lastSeq, ref replayed);
            goodEnd = _log.Position;
        }

        if (goodEnd < _log.Length)
        {
            // A torn or corrupt tail is a write that was never acknowledged (its fsync did not return): drop it.
            _logger.LogWarning(
                "Vector index {Index}: ignoring {Bytes} bytes of an incomplete log record at offset {Offset}",
                _name, _log.Length - goodEnd, goodEnd);
            _log.SetLength(goodEnd);
            _log.Flush(flushToDisk: true);
        }

        _log.Position = _log.Length;
        table.RebuildFreeList();
        LoadedSeq = lastSeq;
        _logger.LogInformation(
            "Vector index {Index} opened: {Records} records, {Replayed} log entries replayed", _name, table.Count, replayed);
    }

    private void Replay(byte[] payload, SlotTable table, ref long lastSeq, ref int replayed)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var op = reader.ReadByte();
        var seq = reader.ReadInt64();
        if (seq <= lastSeq)
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
                    table.Upsert(ReadRecord(reader, withAutoLabel: false), seq);
                }

                break;
            case OpDelete:
                table.Delete(reader.ReadString());
                break;
            case OpPut or OpPutWithAutoLabels:
                var puts = reader.ReadInt32();
                for (var i = 0; i < puts; i++)
                {
                    var slot = reader.ReadInt32();
                    table.Put(ReadRecord(reader, withAutoLabel: op == OpPutWithAutoLabels), seq, slot);
                }

                break;
            case OpFree:
                var frees = reader.ReadInt32();
                for (var i = 0; i < frees; i++)
                {
                    table.Free(reader.ReadInt32());
                }

                break;
            default:
                throw new InvalidDataException($"Vector index {_name}: unknown log operation {op}.");
        }

        lastSeq = seq;
        replayed++;
    }

    private long LoadSnapshot(string path, SlotTable table)
    {
        long lastSeq;
        int version;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var header = FrameIO.TryRead(stream) ?? throw Corrupt(path);
        using (var reader = new BinaryReader(new MemoryStream(header), Encoding.UTF8))
        {
            if (reader.ReadByte() != OpSnapshotHeader || (version = reader.ReadInt32()) is < 1 or > SnapshotVersion
                || reader.ReadInt32() != _dimS || reader.ReadInt32() != _dimC)
            {
                throw Corrupt(path);
            }

            lastSeq = reader.ReadInt64();
            table.EnsureCapacity(reader.ReadInt32());
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
            table.Put(ReadRecord(reader, withAutoLabel: version >= 2), seq, slot);
            records++;
        }

        return lastSeq;
    }

    private static InvalidDataException Corrupt(string path) =>
        new($"Vector snapshot '{path}' is corrupt or was written for other dimensions.");

    private void Append(ReadOnlySpan<byte> payload)
    {
        FrameIO.Write(_log, payload);
        _log.Flush(flushToDisk: true);
    }

    private void WriteSnapshotInBackground(long lastSeq, ReadRows readRows, string oldLog, Action written)
    {
        try
        {
            WriteSnapshotFile(lastSeq, readRows);
            File.Delete(oldLog);
            LogCompacted(lastSeq);
            written();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing is lost: the old log stays and is replayed on open; the next compaction folds it in.
            _logger.LogError(ex, "Vector index {Index}: writing the snapshot failed; the old log is kept", _name);
        }
    }

    private void WriteSnapshotFile(long lastSeq, ReadRows readRows)
    {
        var path = Path.Combine(_directory, SnapshotFile);
        AtomicFile.Write(path, stream => WriteSnapshot(stream, lastSeq, readRows));
        _snapshotBytes = new FileInfo(path).Length;
    }

    private void LogCompacted(long lastSeq) =>
        _logger.LogInformation("Vector index {Index} compacted: a snapshot at sequence {Seq}", _name, lastSeq);

    private void WriteSnapshot(Stream stream, long lastSeq, ReadRows readRows)
    {
        var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true);
        void Flush()
        {
            writer.Flush();
            FrameIO.Write(stream, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            buffer.SetLength(0);
        }

        var rows = new List<(int Slot, long Seq, PreparedRecord Record)>(SnapshotChunk);
        var more = readRows(0, SnapshotChunk, rows, out var slotCount);
        writer.Write(OpSnapshotHeader);
        writer.Write(SnapshotVersion);
        writer.Write(_dimS);
        writer.Write(_dimC);
        writer.Write(lastSeq);
        writer.Write(slotCount);
        Flush();
        var records = 0;
        for (var start = SnapshotChunk; ; start += SnapshotChunk)
        {
            foreach (var (slot, seq, record) in rows)
            {
                writer.Write(OpSnapshotSlot);
                writer.Write(slot);
                writer.Write(seq);
                WriteRecord(writer, record);
                Flush();
                records++;
            }

            if (!more)
            {
                break;
            }

            rows.Clear();
            more = readRows(start, SnapshotChunk, rows, out _);
        }

        writer.Write(OpSnapshotEnd);
        writer.Write(records);
        Flush();
    }

    private ArraySegment<byte> EncodePut(long seq, PreparedRecord[] records, int[] slots)
    {
        // Sized for the vectors up front and handed over without a copy: a batch is megabytes (a reindex page of 1,000
        // items is 2 MB), and growing by doubling then copying out allocated several times that on the large object
        // heap, which forced full collections.
        using var buffer = new MemoryStream(16 + (records.Length * (68 + (sizeof(float) * (_dimS + _dimC)))));
        using var writer = new BinaryWriter(buffer, Encoding.UTF8);
        writer.Write(OpPutWithAutoLabels);
        writer.Write(seq);
        writer.Write(records.Length);
        for (var i = 0; i < records.Length; i++)
        {
            writer.Write(slots[i]);
            WriteRecord(writer, records[i]);
        }

        writer.Flush();
        return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static byte[] EncodeFree(long seq, int[] slots)
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, Encoding.UTF8);
        writer.Write(OpFree);
        writer.Write(seq);
        writer.Write(slots.Length);
        foreach (var slot in slots)
        {
            writer.Write(slot);
        }

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

        writer.Write(record.AutoLabel is not null);
        if (record.AutoLabel is { } autoLabel)
        {
            writer.Write(autoLabel.Label);
            writer.Write(autoLabel.Confidence);
        }
    }

    private PreparedRecord ReadRecord(BinaryReader reader, bool withAutoLabel)
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
        var metadata = SlotTable.EmptyMetadata;
        if (metadataCount > 0)
        {
            var dictionary = new Dictionary<string, string>(metadataCount, StringComparer.Ordinal);
            for (var i = 0; i < metadataCount; i++)
            {
                dictionary[reader.ReadString()] = reader.ReadString();
            }

            metadata = dictionary;
        }

        var autoLabel = withAutoLabel && reader.ReadBoolean() ? new AutoLabel(reader.ReadString(), reader.ReadDouble()) : null;
        return new PreparedRecord(itemId, modality, s, c, labels, metadata, autoLabel);
    }
}
