namespace MS2GAN.Storage.Vectors;

/// <summary>
/// Lets concurrent exact searches of one index share a scan. The first query to arrive scans alone; queries
/// that arrive meanwhile wait and are then scanned together, in one pass over the vectors (each row is read
/// from memory once for all of them, and memory bandwidth is what bounds an exact scan). So under load the
/// number of passes grows with time, not with the number of clients.
/// </summary>
internal sealed class ExactScanBatcher(Action<ExactScan[]> scan)
{
    /// <summary>Most queries in one pass; more would delay the first of them for little gain.</summary>
    public const int MaxBatch = 16;

    private readonly Lock _sync = new();
    private readonly List<ExactScan> _waiting = [];
    private bool _scanning;

    /// <summary>
    /// Runs <paramref name="query"/> in the next pass. The caller that finds no pass running scans on its own
    /// thread; the others wait without holding a thread (blocked threads would starve the pool under load).
    /// </summary>
    public Task<IReadOnlyList<VectorHit>> RunAsync(ExactScan query)
    {
        bool lead;
        lock (_sync)
        {
            _waiting.Add(query);
            lead = !_scanning;
            _scanning = true;
        }
        if (lead)
        {
            ScanUntil(query);
        }
        return query.Result;
    }

    /// <summary>
    /// Scans batches until <paramref name="mine"/> is answered; queries still waiting then get a thread of
    /// their own to lead the next pass, so no caller keeps serving others after its own answer.
    /// </summary>
    private void ScanUntil(ExactScan? mine)
    {
        while (true)
        {
            ExactScan[] batch;
            lock (_sync)
            {
                if (_waiting.Count == 0)
                {
                    _scanning = false;
                    return;
                }
                if (mine is not null && mine.IsDone)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(_ => ScanUntil(null), null);
                    return;
                }
                var take = Math.Min(MaxBatch, _waiting.Count);
                batch = [.. _waiting.Take(take)];
                _waiting.RemoveRange(0, take);
            }
            try
            {
                scan(batch);
            }
            catch (Exception ex)
            {
                foreach (var query in batch.Where(q => !q.IsDone))
                {
                    query.Fail(ex);
                }
            }
        }
    }
}
