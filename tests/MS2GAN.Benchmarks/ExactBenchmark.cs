using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Benchmarks;

/// <summary>
/// `exact`: the embedded store's exact scan in this process, without HTTP: latency with one caller and with
/// several at once (concurrent callers share scans), on uniform random vectors.
/// </summary>
internal static class ExactBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var items = args.Int("items", 100_000);
        var queries = args.Int("queries", 400);
        var dim = args.Int("dim", 128);
        var callers = args.String("callers") is { } list ? list.Split(",").Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray() : [1, 8];
        if (args.String("bandwidth") is not null)
        {
            MeasureBandwidth();
            return 0;
        }

        var corpus = UniformCorpus.Create(items, queries, dim, seed: 11);
        var folder = Directory.CreateTempSubdirectory("ms2gan-exact-");
        try
        {
            using var store = new EmbeddedVectorStore(new EmbeddedVectorStoreOptions { RootDirectory = folder.FullName }, NullLogger<EmbeddedVectorStore>.Instance);
            await store.CreateIndexAsync(new IndexDefinition("bench", dim, dim, null));
            foreach (var chunk in corpus.Records.Chunk(5_000))
            {
                await store.UpsertAsync("bench", chunk);
            }
            Console.WriteLine($"exact: {items:N0} items ({corpus.Records.Count:N0} records), S and C {dim}-d, {Environment.ProcessorCount} cores");
            foreach (var set in corpus.QuerySets)
            {
                foreach (var n in callers)
                {
                    var latencies = new double[set.Queries.Count];
                    var next = -1;
                    var watch = Stopwatch.StartNew();
                    await Task.WhenAll(Enumerable.Range(0, n).Select(_ => Task.Run(async () =>
                    {
                        int q;
                        while ((q = Interlocked.Increment(ref next)) < set.Queries.Count)
                        {
                            var start = Stopwatch.GetTimestamp();
                            await store.SearchAsync("bench", set.Queries[q]);
                            latencies[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                        }
                    })));
                    var qps = set.Queries.Count / watch.Elapsed.TotalSeconds;
                    var sorted = Percentiles.Sorted(latencies);
                    Console.WriteLine($"  {set.Direction,-12} {n} caller(s): {qps,7:N0} q/s, p50 {Percentiles.Of(sorted, 50):F1} ms, p99 {Percentiles.Of(sorted, 99):F1} ms");
                }
            }
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// `exact --bandwidth 1`: how fast this machine streams 205 MB (the size of 100,000 items' vectors) with one
    /// thread and with two: the ceiling an exact scan can approach.
    /// </summary>
    private static void MeasureBandwidth()
    {
        var big = new float[200_000 * 256];
        new Random(1).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(big.AsSpan()));
        var half = big.Length / 2;
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            _ = System.Numerics.Tensors.TensorPrimitives.Sum(big);
            var one = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            Parallel.For(0, 2, p => System.Numerics.Tensors.TensorPrimitives.Sum(big.AsSpan(p * half, half)));
            var two = watch.Elapsed.TotalMilliseconds;
            Console.WriteLine($"205 MB: 1 thread {one:F1} ms ({big.Length * 4 / one / 1e6:F1} GB/s), 2 threads {two:F1} ms ({big.Length * 4 / two / 1e6:F1} GB/s)");
        }
    }
}
