using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The files of one index that hold its records: a write-ahead log (<c>log.bin</c>) of checksummed frames, each an
/// upsert batch or a delete with its sequence number, and a snapshot (<c>snapshot.bin</c>) the log is compacted into.
/// At open the snapshot is loaded and the logs replayed into a <see cref="SlotTable"/>; afterwards each write is
/// appended and fsynced before it is applied. Callers serialise writes (the index's write gate).
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
    private const int SnapshotVersion = 1;

    private readonly string _name;
    private readonly string _directory;
    private readonly int _dimS;
    private readonly int _dimC;
    private readonly ILogger _logger;
    private FileStream _log;
    private Task _compaction = Task.CompletedTask;

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

    public void AppendUpsert(long seq, PreparedRecord[] records) => Append(EncodeUpsert(seq, records));

    public void AppendDelete(long seq, string itemId) => Append(EncodeDelete(seq, itemId));

    /// <summary>
    /// Called by writers under the write gate. Once the log passes <paramref name="compactAfterBytes"/> it becomes
    /// the old log and writes go on in a fresh one at once; the snapshot is written in the background from the copy
    /// <paramref name="capture"/> takes at that moment, and the old log is deleted when the snapshot is on disk
    /// (then <paramref name="written"/> runs). So writers wait for a copy in memory, not for the snapshot's disk
    /// write. Until then (or after a crash) the old log is replayed on open; entries the snapshot already holds are
    /// skipped by sequence number.
    /// </summary>
    public void CompactIfNeeded(long compactAfterBytes, Func<TableSnapshot> capture, Action written)
    {
        if (_log.Length < compactAfterBytes || !_compaction.IsCompleted)
        {
            return;
        }

        var oldLog = Path.Combine(_directory, OldLogFile);
        if (File.Exists(oldLog))
        {
            // A compaction that failed (or was cut short by a crash) left its log: fold both logs in, in one step.
            var everything = capture();
            AtomicFile.Write(Path.Combine(_directory, SnapshotFile), stream => WriteSnapshot(stream, everything));
            File.Delete(oldLog);
            _log.SetLength(0);
            _log.Flush(flushToDisk: true);
            LogCompacted(everything);
            written();
            return;
        }

        _log.Flush(flushToDisk: true);
        _log.Dispose();
        File.Move(Path.Combine(_directory, LogFile), oldLog);
        _log = new FileStream(Path.Combine(_directory, LogFile), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        var state = capture();
        _compaction = Task.Run(() => WriteSnapshotInBackground(state, oldLog, written));
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

    private void Load(SlotTable table)
    {
        Directory.CreateDirectory(_directory);
        var snapshotPath = Path.Combine(_directory, SnapshotFile);
        long lastSeq = 0;
        if (File.Exists(snapshotPath))
        {
            lastSeq = LoadSnapshot(snapshotPath, table);
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
                    table.Upsert(ReadRecord(reader), seq);
                }

                break;
            case OpDelete:
                table.Delete(reader.ReadString());
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
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var header = FrameIO.TryRead(stream) ?? throw Corrupt(path);
        using (var reader = new BinaryReader(new MemoryStream(header), Encoding.UTF8))
        {
            if (reader.ReadByte() != OpSnapshotHeader || reader.ReadInt32() != SnapshotVersion
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
            table.Upsert(ReadRecord(reader), seq, slot);
            records++;
        }

        table.RebuildFreeList();
        return lastSeq;
    }

    private static InvalidDataException Corrupt(string path) =>
        new($"Vector snapshot '{path}' is corrupt or was written for other dimensions.");

    private void Append(ReadOnlySpan<byte> payload)
    {
        FrameIO.Write(_log, payload);
        _log.Flush(flushToDisk: true);
    }

    private void WriteSnapshotInBackground(TableSnapshot state, string oldLog, Action written)
    {
        try
        {
            AtomicFile.Write(Path.Combine(_directory, SnapshotFile), stream => WriteSnapshot(stream, state));
            File.Delete(oldLog);
            LogCompacted(state);
            written();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing is lost: the old log stays and is replayed on open; the next compaction folds it in.
            _logger.LogError(ex, "Vector index {Index}: writing the snapshot failed; the old log is kept", _name);
        }
    }

    private void LogCompacted(TableSnapshot state) =>
        _logger.LogInformation("Vector index {Index} compacted: a snapshot at sequence {Seq}", _name, state.LastSeq);

    private void WriteSnapshot(Stream stream, TableSnapshot state)
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
            WriteRecord(writer, state.Record(slot, _dimS, _dimC));
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

        return new PreparedRecord(itemId, modality, s, c, labels, metadata);
    }
}
