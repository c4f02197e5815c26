using System.Diagnostics;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Benchmarks;

/// <summary>Runs a query set against a store one at a time (latencies) and with several concurrent callers (throughput).</summary>
internal static class SearchRun
{
    public static async Task<(IReadOnlyList<VectorHit>[] Hits, double[] LatencyMs, double QueriesPerSecond)> SequentialAsync(
        IVectorStore store, string index, IReadOnlyList<VectorQuery> queries)
    {
        var hits = new IReadOnlyList<VectorHit>[queries.Count];
        var latency = new double[queries.Count];
        var total = Stopwatch.StartNew();
        for (var q = 0; q < queries.Count; q++)
        {
            var start = Stopwatch.GetTimestamp();
            hits[q] = await store.SearchAsync(index, queries[q]);
            latency[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return (hits, latency, queries.Count / total.Elapsed.TotalSeconds);
    }

    public static async Task<double> ConcurrentAsync(IVectorStore store, string index, IReadOnlyList<VectorQuery> queries, int callers)
    {
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int q;
            while ((q = Interlocked.Increment(ref next)) < queries.Count)
            {
                await store.SearchAsync(index, queries[q]);
            }
        })));
        return queries.Count / total.Elapsed.TotalSeconds;
    }

    /// <summary>Share of the exact top 10 (item and modality) that the approximate hits found.</summary>
    public static double Recall(IReadOnlyList<VectorHit>[] exact, IReadOnlyList<VectorHit>[] approximate)
    {
        long found = 0, expected = 0;
        for (var q = 0; q < exact.Length; q++)
        {
            var truth = exact[q].Select(h => (h.ItemId, h.Modality)).ToHashSet();
            expected += truth.Count;
            found += approximate[q].Count(h => truth.Contains((h.ItemId, h.Modality)));
        }

        return expected == 0 ? 1 : found / (double)expected;
    }
}
