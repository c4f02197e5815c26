using System.Diagnostics;
using MS2GAN.Model.Artifacts;

namespace MS2GAN.Benchmarks;

/// <summary>
/// `soak` (issue 6): ingest over HTTP at a fixed rate (by default 80% of a maximum measured first) with searches in
/// parallel for several minutes, over a real RabbitMQ, sampling every few seconds the process's memory (the service
/// runs in this process), the ingest and index counts, errors and search latency. Memory growth is the end against
/// the end of the warm-up. By default the load cycles through a fixed set of ids (<c>--ids</c>, 100,000), each round
/// with new content, so every item after the first fill replaces one: the corpus stays the same size while every
/// stage does its full work, and growth is a leak rather than data. <c>--ids 0</c> sends new ids throughout instead;
/// the vector index then grows by design, and the samples carry an estimate of its raw vector bytes to tell that
/// apart from a leak.
/// </summary>
public static class SoakBenchmark
{
    private const double ShareOfMaximum = 0.8;
    private const double WarmupShare = 0.2;
    private const double DrainSeconds = 120;

    // The stores and the broker's queue grow with every item (a 10-minute run at 2,000 items/s filled 21 GB on a
    // shared machine): below this much free space the load stops early, and the report says so.
    private const long MinFreeDiskBytes = 3L << 30;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var givenRate = args.Int("rate", 0, 0);
        var minutes = args.Int("minutes", 10, 1);
        var searchClients = args.Int("search-clients", 2, 0, 64);
        var searchPause = TimeSpan.FromMilliseconds(args.Int("search-pause-ms", 10, 0));
        var batchLines = args.Int("lines", 100, 1, 10_000);
        var ids = args.Int("ids", 100_000, 0);
        var maxItems = args.Int("max-items", 80_000, 1_000);
        if (ids > 0 && ids % batchLines != 0)
        {
            throw new BenchUsageException($"--ids ({ids}) must be a multiple of --lines ({batchLines}), so that no request names an id twice");
        }
        var sampleSeconds = args.Int("sample-seconds", 5, 1);
        var epochs = args.Int("epochs", 5, 1);
        var jsonPath = args.String("json") ?? Path.Combine("artifacts", "bench", "soak.json");
        var pngPath = args.String("png") ?? Path.ChangeExtension(jsonPath, ".png");
        var broker = BenchBroker.FromEnvironment();
        var corpus = new SyntheticCorpus();
        return await BenchRun.InTempFolderAsync("soak", async work =>
        {
            var model = BenchModel.Train(corpus, work.FullName, epochs);
            var manifest = ModelFolder.Read(model);
            var bytesPerItem = 2L * (manifest.SpecificDim + manifest.SharedDim) * sizeof(float);
            await using var run = await PipelineRun.StartAsync(broker, model, Path.Combine(work.FullName, "data"), new Dictionary<string, string>());

            double? measuredMaximum = null;
            var rate = givenRate;
            if (ids > 0)
            {
                // The first fill of the fixed ids is the quick maximum: the same items the soak then replaces.
                Console.WriteLine($"1/2 first fill and quick maximum: {ids:N0} ids to searchable in NDJSON requests of 1,000 lines from 4 clients");
                var fill = await IngestThroughput.RunAsync(run, corpus, SoakLoad.Prefix, ids, clients: 4, lines: Math.Min(1_000, ids));
                measuredMaximum = fill.ItemsPerSecond;
            }
            else if (rate == 0)
            {
                Console.WriteLine($"1/2 quick maximum: {maxItems:N0} items to searchable in NDJSON requests of 1,000 lines from 4 clients");
                measuredMaximum = (await IngestThroughput.RunAsync(run, corpus, "soak-max", maxItems, clients: 4, lines: 1_000)).ItemsPerSecond;
            }
            else
            {
                // The index is made by the first items indexed; until then a search answers 503.
                Console.WriteLine("1/2 first items, so that there is an index to search: 1,000 items");
                await IngestThroughput.RunAsync(run, corpus, "soak-first", 1_000, clients: 1, lines: 1_000);
            }
            if (rate == 0)
            {
                rate = Math.Max(batchLines, (int)(measuredMaximum!.Value * ShareOfMaximum));
                Console.WriteLine($"  {measuredMaximum:N0} items/s to searchable; soak rate {ShareOfMaximum:P0} of it: {rate:N0} items/s");
            }

            var duration = TimeSpan.FromMinutes(minutes);
            var warmupSeconds = duration.TotalSeconds * WarmupShare;
            var idsText = ids > 0 ? $"{ids:N0} ids replaced in turn with new content" : "new ids throughout";
            Console.WriteLine($"2/2 soak: {rate:N0} items/s in NDJSON requests of {batchLines} lines, {idsText}, {searchClients} search clients " +
                $"(pause {searchPause.TotalMilliseconds:F0} ms), {minutes} min, a sample every {sampleSeconds} s, warm-up {warmupSeconds / 60:F1} min");
            using var counts = new EncoderCounts();
            var load = new SoakLoad(run, corpus, rate, batchLines, ids, searchClients, searchPause);
            var disk = new DriveInfo(work.FullName);
            using var stop = new CancellationTokenSource();
            var samples = new List<SoakSample>();
            var watch = Stopwatch.StartNew();
            var loading = load.RunAsync(duration, stop.Token);
            var previous = (Seconds: 0.0, Accepted: 0L, Indexed: 0L);
            async Task<SoakSample> SampleAsync()
            {
                var (indexed, failed) = (counts.Indexed, counts.Failed);
                var seconds = watch.Elapsed.TotalSeconds;
                var accepted = load.Accepted;
                // Items with vectors: the indexed ones, and with fixed ids also those replaced and waiting (their old vectors).
                var stored = await run.CountAsync();
                var withVectors = ids > 0 ? stored.Total - stored.Failed : stored.Indexed;
                var sample = Sample(seconds, accepted, indexed, failed, previous, load, withVectors * bytesPerItem);
                previous = (seconds, accepted, sample.Indexed);
                samples.Add(sample);
                Console.WriteLine($"  {seconds,5:F0} s: working set {sample.WorkingSetMb:N0} MB, GC heap {sample.GcHeapMb:N0} MB of {sample.GcCommittedMb:N0} committed (vectors ~{sample.VectorDataMb:N0} MB), " +
                    $"accepted {sample.AcceptedPerSecond:N0}/s, indexed {sample.IndexedPerSecond:N0}/s, lag {sample.Lag:N0}, " +
                    $"errors {sample.IngestErrors}+{sample.SearchErrors}, search p50 {sample.SearchP50Ms:F1} ms p99 {sample.SearchP99Ms:F1} ms ({sample.Searches})");
                return sample;
            }

            using (var timer = new PeriodicTimer(TimeSpan.FromSeconds(sampleSeconds)))
            {
                // The last sample is taken as soon as the load has ended, however far into an interval that is.
                var ended = false;
                while (!ended)
                {
                    ended = await Task.WhenAny(timer.WaitForNextTickAsync().AsTask(), loading) == loading;
                    if (ended && samples.Count > 0 && watch.Elapsed.TotalSeconds - samples[^1].Seconds < 1)
                    {
                        // A tick a moment ago: the last sample replaces it rather than giving rates over a sliver of time
                        // (its interval's search latencies stay in the overall figures only).
                        samples.RemoveAt(samples.Count - 1);
                        previous = samples.Count > 0 ? (samples[^1].Seconds, samples[^1].Accepted, samples[^1].Indexed) : (0, 0, 0);
                    }
                    await SampleAsync();
                    if (!stop.IsCancellationRequested && disk.AvailableFreeSpace < MinFreeDiskBytes)
                    {
                        Console.WriteLine($"  stopping the load early: {disk.AvailableFreeSpace / (1024.0 * 1024 * 1024):F1} GB left on {disk.Name}");
                        await stop.CancelAsync();
                    }
                }
            }
            await loading;
            var end = samples[^1];
            var loadSeconds = end.Seconds;

            // Not part of the figures: whether every accepted item was indexed in the end, and how long that took.
            var drain = Stopwatch.StartNew();
            while (counts.Indexed + counts.Failed < end.Accepted && drain.Elapsed.TotalSeconds < DrainSeconds)
            {
                await Task.Delay(500);
            }
            var drained = counts.Indexed;

            var warm = samples.Last(s => s.Seconds <= warmupSeconds);
            var after = samples.Where(s => s.Seconds > warmupSeconds).ToList();
            // Single samples swing with the garbage collector; the headline compares means over a window (a tenth of
            // the run, at least 3 samples) right after the warm-up and at the end.
            var window = Math.Max(3, (int)Math.Round(duration.TotalSeconds / 10 / sampleSeconds));
            var firstWindow = after.Take(window).ToList();
            var lastWindow = after.TakeLast(window).ToList();
            var latencies = Percentiles.Sorted(load.AllLatencies());
            static double Growth(double from, double to) => (to - from) / from * 100;
            var workingSet = new
            {
                warmupMb = warm.WorkingSetMb,
                endMb = end.WorkingSetMb,
                maxAfterWarmupMb = after.Max(s => s.WorkingSetMb),
                growthPercent = Growth(warm.WorkingSetMb, end.WorkingSetMb),
                windowSamples = window,
                firstWindowMeanMb = firstWindow.Average(s => s.WorkingSetMb),
                lastWindowMeanMb = lastWindow.Average(s => s.WorkingSetMb),
                windowGrowthPercent = Growth(firstWindow.Average(s => s.WorkingSetMb), lastWindow.Average(s => s.WorkingSetMb)),
            };
            var gcHeap = new
            {
                warmupMb = warm.GcHeapMb,
                endMb = end.GcHeapMb,
                maxAfterWarmupMb = after.Max(s => s.GcHeapMb),
                growthPercent = Growth(warm.GcHeapMb, end.GcHeapMb),
                vectorDataGrowthMb = end.VectorDataMb - warm.VectorDataMb,
                bytesPerItemAddedAfterWarmup = (end.GcHeapMb - warm.GcHeapMb) * 1024 * 1024 / (end.Indexed - warm.Indexed),
                growthBeyondVectorDataPercent = Growth(warm.GcHeapMb - warm.VectorDataMb, end.GcHeapMb - end.VectorDataMb),
            };
            var itemsFailed = counts.Failed;
            var errors = end.IngestErrors + end.SearchErrors + itemsFailed;
            var afterWarmup = end.Accepted - warm.Accepted;
            var report = new
            {
                machine = BenchRun.Machine,
                measuredMaximumItemsPerSecond = measuredMaximum,
                rate,
                fixedIds = ids,
                minutes,
                stoppedEarlyForDiskSpace = stop.IsCancellationRequested,
                batchLines,
                searchClients,
                searchPauseMs = searchPause.TotalMilliseconds,
                warmupSeconds,
                bytesPerItemOfVectorData = bytesPerItem,
                workingSet,
                gcHeap,
                errors = new { total = errors, ingest = end.IngestErrors, search = end.SearchErrors, itemsFailed, emptyAnswers = end.EmptyAnswers },
                sustained = new
                {
                    acceptedPerSecond = end.Accepted / loadSeconds,
                    indexedPerSecond = end.Indexed / loadSeconds,
                    acceptedPerSecondAfterWarmup = afterWarmup / (end.Seconds - warm.Seconds),
                    indexedPerSecondAfterWarmup = (end.Indexed - warm.Indexed) / (end.Seconds - warm.Seconds),
                },
                lagAtEnd = end.Lag,
                maxLag = samples.Max(s => s.Lag),
                acceptedItems = end.Accepted,
                indexedWithinDrain = drained,
                drainSeconds = drain.Elapsed.TotalSeconds,
                search = new { requests = latencies.Count, p50Ms = Percentiles.Of(latencies, 50), p99Ms = Percentiles.Of(latencies, 99), maxMs = latencies.Count > 0 ? latencies[^1] : double.NaN },
                samples,
            };
            var written = await BenchRun.WriteJsonAsync(jsonPath, report);
            var png = Path.GetFullPath(pngPath);
            SoakPlot.Save(samples, warmupSeconds, png);

            Console.WriteLine();
            Console.WriteLine("| figure | measured | target |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine($"| working set, mean of {window} samples after the warm-up and of the last {window} | {workingSet.firstWindowMeanMb:N0} MB, {workingSet.lastWindowMeanMb:N0} MB ({workingSet.windowGrowthPercent:+0.0;-0.0}%) | <= +10% |");
            Console.WriteLine($"| working set: end of warm-up, end, max after | {warm.WorkingSetMb:N0} MB, {end.WorkingSetMb:N0} MB, {workingSet.maxAfterWarmupMb:N0} MB ({workingSet.growthPercent:+0.0;-0.0}%) | <= +10% |");
            Console.WriteLine($"| GC heap: end of warm-up, end, max after | {warm.GcHeapMb:N0} MB, {end.GcHeapMb:N0} MB, {gcHeap.maxAfterWarmupMb:N0} MB ({gcHeap.growthPercent:+0.0;-0.0}%; without the vector data {gcHeap.growthBeyondVectorDataPercent:+0.0;-0.0}%; {gcHeap.bytesPerItemAddedAfterWarmup:N0} bytes per item added, {bytesPerItem:N0} of them vectors) | <= +10% |");
            Console.WriteLine($"| errors: ingest, search, items failed | {end.IngestErrors}, {end.SearchErrors}, {itemsFailed} ({end.EmptyAnswers} empty answers) | 0 |");
            Console.WriteLine($"| sustained rate (target {rate:N0} items/s) | accepted {report.sustained.acceptedPerSecond:N0} items/s, indexed {report.sustained.indexedPerSecond:N0} items/s | - |");
            Console.WriteLine($"| lag (accepted - indexed) at the end, max | {end.Lag:N0}, {report.maxLag:N0} items; all {end.Accepted:N0} indexed: {drained >= end.Accepted} after {drain.Elapsed.TotalSeconds:F1} s | - |");
            Console.WriteLine($"| search, {searchClients} clients | p50 {report.search.p50Ms:F1} ms, p99 {report.search.p99Ms:F1} ms ({latencies.Count:N0} requests) | - |");
            Console.WriteLine($"results: {written}, {png}");
            return 0;
        });
    }

    private static SoakSample Sample(double seconds, long accepted, long indexed, long failed, (double Seconds, long Accepted, long Indexed) previous, SoakLoad load, long vectorBytes)
    {
        const double Mb = 1024.0 * 1024.0;
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        var interval = seconds - previous.Seconds;
        var sorted = Percentiles.Sorted(load.TakeIntervalLatencies());
        return new SoakSample(
            seconds,
            process.WorkingSet64 / Mb,
            gc.HeapSizeBytes / Mb,
            gc.TotalCommittedBytes / Mb,
            gc.GenerationInfo[2].SizeAfterBytes / Mb,
            gc.GenerationInfo[3].SizeAfterBytes / Mb,
            vectorBytes / Mb,
            accepted,
            indexed,
            failed,
            (accepted - previous.Accepted) / interval,
            (indexed - previous.Indexed) / interval,
            load.IngestErrors,
            load.SearchErrors,
            load.EmptyAnswers,
            sorted.Count,
            Percentiles.Of(sorted, 50),
            Percentiles.Of(sorted, 99));
    }
}
