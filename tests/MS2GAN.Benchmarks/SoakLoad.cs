using System.Diagnostics;
using System.Text.Json;

namespace MS2GAN.Benchmarks;

/// <summary>
/// The soak's load on a running pipeline: NDJSON batches paced to a fixed item rate (new ids throughout, or a fixed
/// set of ids whose content changes every round, so that each item replaces one), and
/// search clients issuing searches back to back with a short pause. Failures are counted, never thrown, so a
/// long run reports them instead of stopping at the first.
/// </summary>
internal sealed class SoakLoad(PipelineRun run, SyntheticCorpus corpus, int rate, int batchLines, int fixedIds, int searchClients, TimeSpan searchPause)
{
    /// <summary>The id prefix of the soak's items (the fixed ids are filled with it before the load).</summary>
    public const string Prefix = "soak";

    private const int FirstSeed = 17;

    // Past this many requests in flight the pacer waits: the achieved rate then shows the service fell behind.
    private const int MaxRequestsInFlight = 64;
    private const int ErrorsPrinted = 5;

    private readonly Lock _latencyGate = new();
    private readonly List<double> _allLatencies = [];
    private List<double> _intervalLatencies = [];
    private long _accepted;
    private long _ingestErrors;
    private long _searchErrors;
    private long _emptyAnswers;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long IngestErrors => Interlocked.Read(ref _ingestErrors);

    public long SearchErrors => Interlocked.Read(ref _searchErrors);

    public long EmptyAnswers => Interlocked.Read(ref _emptyAnswers);

    /// <summary>Runs both loads for <paramref name="duration"/>; returns once the last request has answered.</summary>
    /// <remarks><paramref name="stop"/> ends both loads early.</remarks>
    public Task RunAsync(TimeSpan duration, CancellationToken stop)
    {
        var bodies = SearchLoad.QueryBodies(corpus);
        return Task.WhenAll([IngestAsync(duration, stop), .. Enumerable.Range(0, searchClients).Select(c => Task.Run(() => SearchAsync(c, bodies, duration, stop)))]);
    }

    /// <summary>Search latencies (ms) since the previous call.</summary>
    public List<double> TakeIntervalLatencies()
    {
        lock (_latencyGate)
        {
            var taken = _intervalLatencies;
            _intervalLatencies = [];
            return taken;
        }
    }

    /// <summary>Every search latency (ms) of the run.</summary>
    public List<double> AllLatencies()
    {
        lock (_latencyGate)
        {
            return [.. _allLatencies];
        }
    }

    private async Task IngestAsync(TimeSpan duration, CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(MaxRequestsInFlight);
        var batches = 0;
        var watch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (watch.Elapsed < duration && !stop.IsCancellationRequested && await timer.WaitForNextTickAsync())
        {
            // Batches due by now at the rate, however late this tick is: the average rate stays exact.
            var due = (int)(watch.Elapsed.TotalSeconds * rate / batchLines) - batches;
            for (; due > 0 && watch.Elapsed < duration; due--)
            {
                await slots.WaitAsync();
                var body = Body(batches);
                batches++;
                _ = PostAsync(body, slots);
            }
        }
        for (var i = 0; i < MaxRequestsInFlight; i++)
        {
            await slots.WaitAsync();
        }
    }

    // Batch n: the next ids, new ones or the fixed ones in turn; a new seed each round gives every item new content.
    private byte[] Body(int batch)
    {
        var first = (long)batch * batchLines;
        return fixedIds == 0
            ? PipelineRun.NdjsonBody(corpus, Prefix, FirstSeed, (int)first, batchLines)
            : PipelineRun.NdjsonBody(corpus, Prefix, FirstSeed + (int)(first / fixedIds), (int)(first % fixedIds), batchLines);
    }

    private async Task PostAsync(byte[] body, SemaphoreSlim slots)
    {
        try
        {
            await run.PostBatchAsync(body, batchLines);
            Interlocked.Add(ref _accepted, batchLines);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException or JsonException)
        {
            if (Interlocked.Increment(ref _ingestErrors) <= ErrorsPrinted)
            {
                Console.Error.WriteLine($"  ingest error: {ex.Message}");
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task SearchAsync(int client, byte[][] bodies, TimeSpan duration, CancellationToken stop)
    {
        var watch = Stopwatch.StartNew();
        var i = client * 97;
        while (watch.Elapsed < duration && !stop.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            var (ok, hits, error) = (false, 0, "answered other than 200");
            try
            {
                (ok, hits) = await SearchLoad.SearchOnceAsync(run, bodies[i++ % bodies.Length]);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                error = ex.Message;
            }
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            lock (_latencyGate)
            {
                _intervalLatencies.Add(ms);
                _allLatencies.Add(ms);
            }
            if (!ok && Interlocked.Increment(ref _searchErrors) <= ErrorsPrinted)
            {
                Console.Error.WriteLine($"  search error: {error}");
            }
            else if (hits == 0)
            {
                Interlocked.Increment(ref _emptyAnswers);
            }
            await Task.Delay(searchPause);
        }
    }
}
