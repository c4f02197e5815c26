using Cloud.Unum.USearch;
using Microsoft.Extensions.Logging;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The USearch HNSW graph of one modality of an index (see <see cref="ModalityGraphs"/>), over joint vectors [S ; C]
/// with the inner-product metric, keyed by slot.
/// The index's arrays stay the source of truth: writes mark slots dirty and a single background task (USearch adds
/// are single-threaded in the C# wrapper) removes and re-adds them. Searches use the graph only when it has caught up.
/// </summary>
internal sealed class HnswGraph : IDisposable
{
    private const int BatchSize = 512;

    private readonly USearchIndex _index;
    private readonly ReaderWriterLockSlim _graphLock = new();
    private readonly Lock _sync = new();
    private readonly HashSet<int> _dirty = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly SemaphoreSlim _searchSlots = new(Environment.ProcessorCount);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<int[], float[]?[]> _readJoint;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly Task _worker;
    private int _inFlight;
    private Exception? _failure;

    public HnswGraph(
        string name, int dimensions, EmbeddedVectorStoreOptions options, string? loadFrom,
        Func<int[], float[]?[]> readJoint, ILogger logger)
    {
        _name = name;
        _readJoint = readJoint;
        _logger = logger;
        USearchIndex? loaded = null;
        if (loadFrom is not null)
        {
            try
            {
                loaded = new USearchIndex(loadFrom, false);
                if ((int)loaded.Dimensions() != dimensions)
                {
                    loaded.Dispose();
                    loaded = null;
                }
            }
            catch (Exception ex) when (ex is USearchException or IOException)
            {
                logger.LogWarning(ex, "HNSW graph of {Index} could not be loaded; rebuilding", name);
                loaded?.Dispose();
                loaded = null;
            }
        }

        Loaded = loaded is not null;
        _index = loaded ?? new USearchIndex(
            MetricKind.Ip, ScalarKind.Float32, (ulong)dimensions, (ulong)options.HnswConnectivity,
            (ulong)options.HnswExpansionAdd, (ulong)options.HnswExpansionSearch, false);
        _worker = Task.Run(RunAsync);
    }

    /// <summary>True when the graph came from a saved file (and only slots written since need re-adding).</summary>
    public bool Loaded { get; }

    public bool IsCaughtUp
    {
        get
        {
            lock (_sync)
            {
                return _dirty.Count == 0 && _inFlight == 0 && _failure is null;
            }
        }
    }

    /// <summary>Whether the graph holds a key; only meaningful before the builder starts changing it.</summary>
    public bool Contains(int slot)
    {
        _graphLock.EnterReadLock();
        try
        {
            return _index.Contains((ulong)slot);
        }
        finally
        {
            _graphLock.ExitReadLock();
        }
    }

    /// <summary>Called by the index under its write lock after a slot changed (written or freed).</summary>
    public void MarkDirty(int slot)
    {
        lock (_sync)
        {
            _dirty.Add(slot);
        }
    }

    public void Kick() => _signal.Release();

    /// <summary>
    /// Nearest slots by inner product with <paramref name="query"/>, best first; null when the graph cannot answer
    /// (the caller scans exactly instead).
    /// </summary>
    public ulong[]? Search(float[] query, int count)
    {
        // USearch keeps one search context per reserved thread (the machine's hardware threads) and fails a search
        // when all are taken, so concurrent graph searches are capped.
        _searchSlots.Wait();
        _graphLock.EnterReadLock();
        try
        {
            var found = _index.Search(query, count, out ulong[] keys, out float[] _);
            return found == keys.Length ? keys : keys[..found];
        }
        catch (USearchException ex)
        {
            _logger.LogWarning(ex, "HNSW search of {Index} failed; answering with the exact scan", _name);
            return null;
        }
        finally
        {
            _graphLock.ExitReadLock();
            _searchSlots.Release();
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

    /// <summary>Saves the graph through a temporary file; only when caught up, so it matches the arrays.</summary>
    public bool TrySave(string path)
    {
        if (!IsCaughtUp)
        {
            return false;
        }

        _graphLock.EnterReadLock();
        try
        {
            var temp = path + ".tmp";
            _index.Save(temp);
            File.Move(temp, path, overwrite: true);
            return true;
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
            _worker.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // The worker ends by cancellation; its failures were logged already.
        }

        _index.Dispose();
        _graphLock.Dispose();
        _signal.Dispose();
        _searchSlots.Dispose();
        _stop.Dispose();
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
            _logger.LogError(ex, "HNSW graph builder of {Index} failed; searches stay exact", _name);
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

            _inFlight += batch.Length;
            return batch;
        }
    }

    private void ApplyBatch(int[] batch)
    {
        var vectors = _readJoint(batch);
        _graphLock.EnterWriteLock();
        try
        {
            for (var i = 0; i < batch.Length; i++)
            {
                var key = (ulong)batch[i];
                if (_index.Contains(key))
                {
                    // The wrapper throws on duplicate keys, so a changed slot is removed before it is re-added.
                    _index.Remove(key);
                }

                if (vectors[i] is { } vector)
                {
                    _index.Add(key, vector);
                }
            }
        }
        finally
        {
            _graphLock.ExitWriteLock();
            lock (_sync)
            {
                _inFlight -= batch.Length;
            }
        }
    }
}
