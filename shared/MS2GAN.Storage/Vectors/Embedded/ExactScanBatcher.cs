using System.Diagnostics;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// Lets concurrent exact searches of one index share a scan. The first query to arrive scans alone; queries
/// that arrive meanwhile wait and are then scanned together, in one pass over the vectors (each row is read
/// from memory once for all of them, and memory bandwidth is what bounds an exact scan). So under load the
/// number of passes grows with time, not with the number of clients.
/// </summary>
internal sealed class ExactScanBatcher(Action<ExactScan[]> scan)
{
    /// <summary>
    /// Most queries in one pass; more would delay the first of them for little gain. The blocked scan loads each row
    /// once for the whole pass, so a pass of 64 costs far less than four of 16.
    /// </summary>
    public const int MaxBatch = 64;

    /// <summary>How long a pass may wait for the callers of the previous pass to come back and join it.</summary>
    private static readonly long GatherTicks = Stopwatch.Frequency * 2 / 1000;

    private readonly Lock _sync = new();
    private readonly List<ExactScan> _waiting = [];
    private readonly ManualResetEventSlim _arrived = new();
    private bool _scanning;
    private int _lastBatch;

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
        _arrived.Set();
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
            GatherWhileBusy();
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
                _lastBatch = take;
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

    /// <summary>
    /// Under load the callers of one pass come back at about the same time. Without a pause the first of them
    /// would scan alone and the rest wait a whole pass for the next; so when the previous pass served several
    /// queries, this waits (2 ms at most) for as many to be waiting again. Idle, it does not wait at all.
    /// </summary>
    private void GatherWhileBusy()
    {
        var deadline = Stopwatch.GetTimestamp() + GatherTicks;
        while (true)
        {
            lock (_sync)
            {
                if (_lastBatch <= 1 || _waiting.Count >= _lastBatch)
                {
                    return;
                }

                _arrived.Reset();
            }

            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return;
            }

            _arrived.Wait(TimeSpan.FromTicks(left * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        }
    }
}
