using System.Diagnostics;

namespace MS2GAN.Benchmarks;

/// <summary>
/// Items per second from HTTP ingest to searchable: NDJSON batches POSTed by several clients at once, the
/// clock stopped when the item store has every item indexed.
/// </summary>
public static class IngestThroughput
{
    public sealed record Result(int Items, double AcceptedSeconds, double IndexedSeconds)
    {
        public double ItemsPerSecond => Items / IndexedSeconds;

        public double AcceptedPerSecond => Items / AcceptedSeconds;
    }

    public static async Task<Result> RunAsync(PipelineRun run, SyntheticCorpus corpus, string prefix, int items, int clients, int lines)
    {
        var bodies = new List<(byte[] Body, int Lines)>();
        for (var from = 0; from < items; from += lines)
        {
            var count = Math.Min(lines, items - from);
            bodies.Add((PipelineRun.NdjsonBody(corpus, prefix, seed: 11, from, count), count));
        }
        var (indexedBefore, _, _) = await run.CountAsync();

        var watch = Stopwatch.StartNew();
        var next = -1;
        var posting = Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < bodies.Count)
            {
                await run.PostBatchAsync(bodies[index].Body, bodies[index].Lines);
            }
        })));
        var acceptedSeconds = double.NaN;
        var deadline = TimeSpan.FromSeconds(Math.Max(180, items / 50));
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            if (posting.IsCompleted && double.IsNaN(acceptedSeconds))
            {
                await posting;
                acceptedSeconds = watch.Elapsed.TotalSeconds;
            }
            var (indexed, failed, _) = await run.CountAsync();
            if (failed > 0)
            {
                throw new InvalidOperationException($"{failed} item(s) failed to index; see the log above");
            }
            if (indexed - indexedBefore >= items && posting.IsCompleted)
            {
                return new Result(items, acceptedSeconds, watch.Elapsed.TotalSeconds);
            }
            if (watch.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                lastReport = watch.Elapsed;
                Console.WriteLine($"  {prefix}: {indexed - indexedBefore:N0} of {items:N0} indexed after {watch.Elapsed.TotalSeconds:F0} s");
            }
            if (watch.Elapsed > deadline)
            {
                throw new TimeoutException($"{prefix}: only {indexed - indexedBefore} of {items} items indexed after {deadline.TotalSeconds:F0} s");
            }
            await Task.Delay(100);
        }
    }
}
