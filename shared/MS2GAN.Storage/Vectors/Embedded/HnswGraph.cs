using Microsoft.Extensions.Logging;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The USearch HNSW graph of one modality of an index (see <see cref="ModalityGraphs"/>), over joint vectors [S ; C]
/// with the inner-product metric, keyed by slot, driven through <see cref="UsearchNative"/>.
/// The index's rows stay the source of truth: writes mark slots dirty and a background task removes and re-adds
/// them, adding from every core at once (capacity is reserved first, so concurrent native adds are safe). Until a
/// slot is back in the graph it is <em>pending</em>: searches skip its graph entry and score its row exactly.
/// A graph reopened from its file is a read-only memory-mapped view; the first change loads the file into memory
/// (mutable) in the background, and searches go on against the view plus the pending rows meanwhile.
/// </summary>
internal sealed class HnswGraph : IDisposable
{
    private const int BatchSize = 8192;

    private readonly ReaderWriterLockSlim _graphLock = new();
    private readonly Lock _sync = new();
    private readonly HashSet<int> _dirty = [];
    private readonly HashSet<int> _pending = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly SemaphoreSlim _nativeSlots;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<int[], float[]?[]> _readJoint;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly string? _viewedFrom;
    private readonly int _dimensions;
    private readonly EmbeddedVectorStoreOptions _options;
    private readonly int _threads;
    private readonly Task _worker;
    private nint _index;
    private bool _changedSinceOpen;
    private Exception? _failure;

    public HnswGraph(
        string name, int dimensions, EmbeddedVectorStoreOptions options, string? viewFrom,
        Func<int[], float[]?[]> readJoint, ILogger logger)
    {
        _name = name;
        _dimensions = dimensions;
        _options = options;
        _readJoint = readJoint;
        _logger = logger;
        _threads = Math.Max(1, options.HnswBuildThreads ?? Environment.ProcessorCount);
        _nativeSlots = new SemaphoreSlim(NativeThreads);
        if (viewFrom is not null)
        {
            var viewed = NewIndex();
            try
            {
                UsearchNative.View(viewed, viewFrom);
                if (UsearchNative.Dimensions(viewed) == dimensions)
                {
                    _index = viewed;
                    _viewedFrom = viewFrom;
                }
                else
                {
                    logger.LogWarning("HNSW graph {Graph}: the saved file has other dimensions; rebuilding", name);
                    UsearchNative.Free(viewed);
                }
            }
            catch (UsearchException ex)
            {
                logger.LogWarning(ex, "HNSW graph {Graph} could not be opened from its file; rebuilding", name);
                UsearchNative.Free(viewed);
            }
        }

        if (_index == 0)
        {
            _index = NewIndex();
        }

        ApplyExpansions(_index);
        _worker = Task.Run(RunAsync);
    }

    /// <summary>True when the graph came from its saved file (and only slots written since need re-adding).</summary>
    public bool Loaded => _viewedFrom is not null;

    public bool IsCaughtUp
    {
        get
        {
            lock (_sync)
            {
                return _pending.Count == 0 && _failure is null;
            }
        }
    }

    public bool Failed
    {
        get
        {
            lock (_sync)
            {
                return _failure is not null;
            }
        }
    }

    /// <summary>Vectors in the graph (removed ones excluded).</summary>
    public long Size => WithIndex(UsearchNative.Size);

    /// <summary>What USearch reports the graph uses in memory (vectors and links; a view's mapped file included).</summary>
    public long MemoryBytes => WithIndex(UsearchNative.MemoryUsage);

    /// <summary>The search expansion (ef) the graph searches with now.</summary>
    public int ExpansionSearch => (int)WithIndex(i => UsearchNative.ExpansionSearch(i));

    /// <summary>Changes the ef searches use from now on (benchmarks sweep it on one graph).</summary>
    public void SetExpansionSearch(int ef)
    {
        _graphLock.EnterWriteLock();
        try
        {
            UsearchNative.ChangeExpansionSearch(_index, ef);
        }
        finally
        {
            _graphLock.ExitWriteLock();
        }
    }

    /// <summary>Whether the graph holds a key; only meaningful before the builder starts changing it.</summary>
    public bool Contains(int slot) => WithIndex(i => UsearchNative.Contains(i, (ulong)slot) ? 1 : 0) == 1;

    /// <summary>Called by the index under its write lock after a slot changed (written or freed).</summary>
    public void MarkDirty(int slot)
    {
        lock (_sync)
        {
            _dirty.Add(slot);
            _pending.Add(slot);
        }
    }

    public void Kick() => _signal.Release();

    /// <summary>
    /// A copy of the slots whose graph entry is missing or stale, or null when there are more than
    /// <paramref name="limit"/> (searches then scan exactly).
    /// </summary>
    public int[]? PendingSlots(int limit)
    {
        lock (_sync)
        {
            return _failure is not null || _pending.Count > limit ? null : [.. _pending];
        }
    }

    /// <summary>
    /// Nearest slots by inner product with <paramref name="query"/>, best first, into <paramref name="keys"/>;
    /// <paramref name="filter"/> (when not null) is applied inside the traversal. Returns how many, or -1 when the
    /// graph cannot answer (the caller scans exactly instead).
    /// </summary>
    public int Search(float[] query, Span<ulong> keys, GraphFilter? filter)
    {
        // USearch keeps one context per reserved thread, shared by adds and searches, and has none left for a call
        // beyond that number, so concurrent native calls are capped at it.
        var distances = keys.Length <= 256 ? stackalloc float[keys.Length] : new float[keys.Length];
        _nativeSlots.Wait();
        _graphLock.EnterReadLock();
        try
        {
            return filter is null
                ? UsearchNative.Search(_index, query, keys, distances)
                : filter.Search(_index, query, keys, distances);
        }
        catch (UsearchException ex)
        {
            _logger.LogWarning(ex, "HNSW search of {Graph} failed; answering with the exact scan", _name);
            return -1;
        }
        finally
        {
            _graphLock.ExitReadLock();
            _nativeSlots.Release();
        }
    }

    public async Task WaitCaughtUpAsync(CancellationToken cancellationToken)
    {
        while (!IsCaughtUp)
        {
            lock (_sync)
            {
                if (_failure is not null)
                {
                    throw new InvalidOperationException($"HNSW graph of '{_name}' failed to build.", _failure);
                }
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the graph to <paramref name="path"/> through a temporary file (fsynced, then renamed) and returns its
    /// length and CRC-32; null when it is not caught up (it would not match the rows). A view that never changed is
    /// its file already: it is only checksummed.
    /// </summary>
    public (long Bytes, uint Crc)? TrySave(string path)
    {
        if (!IsCaughtUp)
        {
            return null;
        }

        _graphLock.EnterReadLock();
        try
        {
            if (!IsCaughtUp)
            {
                return null;
            }

            if (_viewedFrom is not null && !_changedSinceOpen && _viewedFrom == path)
            {
                return (new FileInfo(path).Length, Crc32.OfFile(path));
            }

            var temp = path + ".tmp";
            UsearchNative.Save(_index, temp);
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                // usearch_save does not fsync; the rename below must not make a file visible that is not on disk.
                stream.Flush(flushToDisk: true);
            }

            var saved = (new FileInfo(temp).Length, Crc32.OfFile(temp));
            File.Move(temp, path, overwrite: true);
            return saved;
        }
        finally
        {
            _graphLock.ExitReadLock();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _worker.Wait(TimeSpan.FromSeconds(60));
        }
        catch (AggregateException)
        {
            // The worker ends by cancellation; its failures were logged already.
        }

        _graphLock.EnterWriteLock();
        try
        {
            UsearchNative.Free(_index);
            _index = 0;
        }
        finally
        {
            _graphLock.ExitWriteLock();
        }

        _graphLock.Dispose();
        _signal.Dispose();
        _nativeSlots.Dispose();
        _stop.Dispose();
    }

    private nint NewIndex() => UsearchNative.Init(
        _dimensions, _options.HnswConnectivity, _options.HnswExpansionAdd, _options.HnswExpansionSearch,
        _options.HnswInt8 ? UsearchNative.ScalarI8 : UsearchNative.ScalarF32);

    /// <summary>
    /// The expansions are not part of a saved file: a loaded or viewed index searches with the library's default (64)
    /// until told otherwise. That default was the "ef >= 64 after reopen" the C# wrapper could not change.
    /// </summary>
    private void ApplyExpansions(nint index)
    {
        UsearchNative.ChangeExpansionAdd(index, _options.HnswExpansionAdd);
        UsearchNative.ChangeExpansionSearch(index, _options.HnswExpansionSearch);
        ReserveThreads(index);
    }

    /// <summary>Builder threads plus one searcher per core: the native contexts the index keeps.</summary>
    private int NativeThreads => _threads + Environment.ProcessorCount;

    private void ReserveThreads(nint index)
    {
        UsearchNative.ChangeThreadsAdd(index, NativeThreads);
        UsearchNative.ChangeThreadsSearch(index, NativeThreads);
    }

    private long WithIndex(Func<nint, long> read)
    {
        _graphLock.EnterReadLock();
        try
        {
            return read(_index);
        }
        finally
        {
            _graphLock.ExitReadLock();
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync(_stop.Token).ConfigureAwait(false);
                while (!_stop.IsCancellationRequested && TakeBatch() is { } batch)
                {
                    ApplyBatch(batch);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Searches keep working on the exact scan; the failure is visible in the log and to waiters.
            _logger.LogError(ex, "HNSW graph builder of {Graph} failed; searches stay exact", _name);
            lock (_sync)
            {
                _failure = ex;
            }
        }
    }

    private int[]? TakeBatch()
    {
        lock (_sync)
        {
            if (_dirty.Count == 0)
            {
                return null;
            }

            var batch = _dirty.Take(BatchSize).ToArray();
            foreach (var slot in batch)
            {
                _dirty.Remove(slot);
            }

            return batch;
        }
    }

    private void ApplyBatch(int[] batch)
    {
        if (_viewedFrom is not null && !_changedSinceOpen)
        {
            MakeMutable();
        }

        var vectors = _readJoint(batch);
        var adds = new List<int>(batch.Length);
        _graphLock.EnterWriteLock();
        try
        {
            _changedSinceOpen = true;
            for (var i = 0; i < batch.Length; i++)
            {
                var key = (ulong)batch[i];
                if (UsearchNative.Contains(_index, key))
                {
                    // A changed slot is removed before it is re-added (one vector per key).
                    UsearchNative.Remove(_index, key);
                }

                if (vectors[i] is not null)
                {
                    adds.Add(i);
                }
            }

            var needed = UsearchNative.Size(_index) + adds.Count;
            if (needed > UsearchNative.Capacity(_index))
            {
                // Growth by half again keeps reservations (which re-allocate) rare; concurrent adds need the room first.
                UsearchNative.Reserve(_index, Math.Max(needed, UsearchNative.Capacity(_index) * 3 / 2));
                ReserveThreads(_index);
            }
        }
        finally
        {
            _graphLock.ExitWriteLock();
        }

        // The adds run beside searches (USearch's graph is safe for both at once; only reserving is not), from one
        // worker per core; the slots being added are still pending, so searches score their rows exactly meanwhile.
        _graphLock.EnterReadLock();
        try
        {
            Parallel.For(
                0, _threads, new ParallelOptions { MaxDegreeOfParallelism = _threads },
                worker =>
                {
                    _nativeSlots.Wait();
                    try
                    {
                        for (var n = worker; n < adds.Count; n += _threads)
                        {
                            var i = adds[n];
                            UsearchNative.Add(_index, (ulong)batch[i], vectors[i]);
                        }
                    }
                    finally
                    {
                        _nativeSlots.Release();
                    }
                });
        }
        finally
        {
            _graphLock.ExitReadLock();
        }

        lock (_sync)
        {
            foreach (var slot in batch)
            {
                if (!_dirty.Contains(slot))
                {
                    _pending.Remove(slot);
                }
            }
        }
    }

    /// <summary>A view is read-only: before its first change the file is loaded into memory and swapped in.</summary>
    private void MakeMutable()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var loaded = NewIndex();
        try
        {
            UsearchNative.Load(loaded, _viewedFrom!);
            ApplyExpansions(loaded);
            UsearchNative.ChangeExpansionSearch(loaded, ExpansionSearch);
        }
        catch
        {
            UsearchNative.Free(loaded);
            throw;
        }

        _graphLock.EnterWriteLock();
        try
        {
            UsearchNative.Free(_index);
            _index = loaded;
            _changedSinceOpen = true;
        }
        finally
        {
            _graphLock.ExitWriteLock();
        }

        _logger.LogInformation(
            "HNSW graph {Graph}: the memory-mapped view was loaded into memory for writes in {Seconds:F1} s",
            _name, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
