using System.Diagnostics;
using MS2GAN.Features.Data;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Benchmarks;

/// <summary>
/// <c>scale</c>: the embedded store in HNSW mode at --items items (two records each, model vectors of the Wikipedia
/// corpus, see <see cref="WikipediaCorpus"/>): ingest rate on an empty store, graph build, search at several ef (one
/// caller and --callers at once) with recall@10 against the store's own exact scan, filtered search at 50%, 10%, 1%
/// and 0.1% selectivity (labels given to that share of the items), reopen (no rebuild), resident memory, ingest with
/// the store full, deletes and replacements, and the int8 mode on --int8-items items. The image records and the
/// text->image queries are written as .npy for bench/faiss_peer.py (same vectors, same M and efConstruction).
/// Options: --items N (1000000), --queries N (500), --callers N (8), --ef-search LIST, --probe N (20000 items),
/// --int8-items N (items/10), --crossover-queries N (50), --data DIR, --model DIR, --vectors DIR, --store DIR, --json FILE.
/// </summary>
internal static class ScaleBenchmark
{
    private const string Index = "scale";
    private const int BatchRecords = 5000;

    /// <summary>The selectivity labels: a share of the items carries each (nested: sel-0.1 items carry all four).</summary>
    private static readonly (string Label, double Share)[] Selectivities = [("sel-50", 0.5), ("sel-10", 0.1), ("sel-1", 0.01), ("sel-0.1", 0.001)];

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var items = args.Int("items", 1_000_000);
        var queries = args.Int("queries", 500);
        var callers = args.Int("callers", 8);
        var probe = Math.Min(items / 2, args.Int("probe", 20_000));
        var int8Items = args.Int("int8-items", Math.Max(1000, items / 10));
        var crossoverQueries = args.Int("crossover-queries", 50);
        var efs = (args.String("ef-search") ?? "16,24,32,48,64,96,128").Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        var data = args.String("data") ?? Path.Combine("..", "shared", "data", "wikipedia");
        var model = args.String("model") ?? Path.Combine(Path.GetTempPath(), "ms2gan-bench", "wikipedia-model");
        var vectors = args.String("vectors") ?? Path.Combine("artifacts", "bench", "scale", "vectors");
        var storeRoot = args.String("store") ?? Path.Combine("artifacts", "bench", "scale", "store");
        var jsonPath = args.String("json") ?? Path.Combine("artifacts", "bench", "scale", "store.json");
        if (!File.Exists(Path.Combine(data, "train_labels.npy")))
        {
            throw new BenchUsageException($"no Wikipedia features at {Path.GetFullPath(data)}: pass --data DIR");
        }

        var clock = Stopwatch.StartNew();
        void Say(string line) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F0} s] {line}");
        BenchCorpus? corpus = WikipediaCorpus.Create(data, model, items, queries, seed: 7);
        List<VectorRecord>? records = WithSelectivityLabels(corpus.Records);
        var corpusDescription = corpus.Description;
        var textToImage = corpus.QuerySets.Single(s => s.Direction == "text->image").Queries;
        var dim = corpus.SpecificDim + corpus.SharedDim;
        // Written for FAISS once the store's files are gone (the disk is shared and the store needs several GB).
        FeatureMatrix? peerBase = SearchPeersBenchmark.Joint([.. records.Where(r => r.Modality == VectorModalities.Image).Select(r => (r.Specific, r.Shared, 1.0, 1.0))]);
        var peerQueries = SearchPeersBenchmark.Joint([.. textToImage.Select(q => (q.Specific, q.Shared, q.SpecificWeight, q.SharedWeight))]);
        Say($"scale: {items:N0} items ({records.Count:N0} records, {corpus.SpecificDim}+{corpus.SharedDim}-d), {queries} text->image queries, {Environment.ProcessorCount} cores; vectors for FAISS go to {Path.GetFullPath(vectors)}");

        if (Directory.Exists(storeRoot))
        {
            Directory.Delete(storeRoot, recursive: true);
        }

        var options = new EmbeddedVectorStoreOptions { RootDirectory = storeRoot, Mode = VectorSearchMode.Hnsw, HnswExpansionSearch = efs[^1], HnswThreshold = 0 };
        var definition = new IndexDefinition(Index, corpus.SpecificDim, corpus.SharedDim, null);
        var report = new Dictionary<string, object?>
        {
            ["machine"] = BenchRun.Machine,
            ["items"] = items,
            ["records"] = records.Count,
            ["dim"] = dim,
            ["queries"] = queries,
            ["callers"] = callers,
            ["corpus"] = corpusDescription,
            ["m"] = options.HnswConnectivity,
            ["efConstruction"] = options.HnswExpansionAdd,
            ["buildThreads"] = Environment.ProcessorCount,
        };

        // 1. Ingest to searchable on an empty store (the probe), then the rest: the graph build.
        var store = new EmbeddedVectorStore(options);
        await store.CreateIndexAsync(definition);
        var probeRecords = records.Take(probe * 2).ToList();
        var emptyRate = await IngestAsync(store, probeRecords);
        Say($"ingest on an empty store, {probeRecords.Count:N0} records: {emptyRate.Searchable:N0} records/s to searchable, {emptyRate.InGraph:N0} records/s into the graphs");
        var build = Stopwatch.StartNew();
        await UpsertAllAsync(store, records.Skip(probe * 2).ToList());
        var upsertSeconds = build.Elapsed.TotalSeconds;
        await store.WaitForGraphAsync(Index);
        var buildSeconds = build.Elapsed.TotalSeconds;
        var built = records.Count - probeRecords.Count;
        Say($"build: {built:N0} records upserted in {upsertSeconds:F0} s, graphs caught up after {buildSeconds:F0} s: {built / buildSeconds:N0} vectors/s");
        report["ingestEmptyRecordsPerSecond"] = emptyRate.Searchable;
        report["ingestEmptyGraphRecordsPerSecond"] = emptyRate.InGraph;
        report["buildSeconds"] = buildSeconds;
        report["buildVectors"] = built;
        report["buildVectorsPerSecond"] = built / buildSeconds;
        report["upsertSeconds"] = upsertSeconds;

        // 2. Exact answers from the store's own scan, then the ef sweep on the graph as built.
        var truth = Exact(store, textToImage);
        var runs = new List<object>();
        var qualifying = new List<int>();
        foreach (var ef in efs)
        {
            store.Tune(Index, ef, null);
            var (run, perCaller) = await MeasureAsync(store, textToImage, callers);
            var recall = SearchRun.Recall(truth, run.Hits);
            Say($"ef {ef,4}: recall@10 {recall:F3}, {run.QueriesPerSecond:N0} q/s one caller (p99 {P99(run.LatencyMs):F2} ms), {perCaller.Qps:N0} q/s {callers} callers (p99 {perCaller.P99Ms:F2} ms)");
            if (recall >= 0.95)
            {
                qualifying.Add(ef);
            }

            runs.Add(new { ef, recallAt10 = recall, qpsOneAtATime = run.QueriesPerSecond, p99OneMs = P99(run.LatencyMs), qpsConcurrent = perCaller.Qps, p99ConcurrentMs = perCaller.P99Ms });
        }

        report["runs"] = runs;
        var chosen = qualifying.DefaultIfEmpty(efs[^1]).First();
        store.Tune(Index, chosen, null);
        report["chosenEf"] = chosen;

        // 3. Filtered search at each selectivity: the store as configured (exact scan of the label's rows below
        // HnswFilterExactBelow), and the graph's predicate search alone (threshold 0) for the crossover.
        var filtered = new List<object>();
        foreach (var (label, share) in Selectivities)
        {
            var labelled = textToImage.Select(q => q with { AnyOfLabels = [label] }).ToList();
            var labelTruth = Exact(store, labelled);
            var figures = new Dictionary<string, object> { ["label"] = label, ["selectivity"] = share };
            foreach (var (path, below) in new[] { ("store", options.HnswFilterExactBelow), ("graph", 0.0), ("exact", 1.0) })
            {
                // The paths the store does not choose can be slow (the graph at 0.1%, the scan at 50%): fewer queries.
                store.Tune(Index, null, below);
                var asked = path == "store" ? labelled : labelled.Take(crossoverQueries).ToList();
                var run = await SearchRun.SequentialAsync(store, Index, asked);
                var recall = SearchRun.Recall(labelTruth[..asked.Count], run.Hits);
                figures[path] = new { recallAt10 = recall, qps = run.QueriesPerSecond };
                Say($"filter {label} ({share:P1}) {path,-5}: recall@10 {recall:F3}, {run.QueriesPerSecond:N0} q/s");
            }

            filtered.Add(figures);
        }

        store.Tune(Index, null, options.HnswFilterExactBelow);
        report["filtered"] = filtered;

        // 4. Close (saves the graphs), free the corpus, reopen: time to ready, no rebuild, memory.
        var save = Stopwatch.StartNew();
        store.Dispose();
        report["closeSeconds"] = save.Elapsed.TotalSeconds;
        var kept = records.Where((_, i) => i % Math.Max(1, records.Count / 2000) == 0).Take(2000).ToList();
        var int8Source = records.Take(int8Items * 2).ToList();
        records = null;
        corpus = null;
        ForceCollect();
        var baseline = ResidentBytes();
        var reopen = Stopwatch.StartNew();
        store = new EmbeddedVectorStore(options with { HnswExpansionSearch = chosen });
        var ready = await store.WaitForGraphAsync(Index);
        var reopenSeconds = reopen.Elapsed.TotalSeconds;
        var stats = store.GraphStats(Index)!;
        Say($"reopen: ready in {reopenSeconds:F1} s (graph in use: {ready}), graph rebuilt: {stats.RebuiltOnOpen}, ef after reopen {string.Join('/', stats.ExpansionSearch)}");
        var (reopened, reopenedConcurrent) = await MeasureAsync(store, textToImage, callers);
        var reopenedRecall = SearchRun.Recall(truth, reopened.Hits);
        Say($"after reopen at ef {chosen}: recall@10 {reopenedRecall:F3}, {reopened.QueriesPerSecond:N0} q/s one caller, {reopenedConcurrent.Qps:N0} q/s {callers} callers (p99 {reopenedConcurrent.P99Ms:F2} ms)");
        var resident = ResidentBytes() - baseline;
        var graphFiles = Directory.EnumerateFiles(Path.Combine(storeRoot, "indexes", Index), "graph.*.usearch").Sum(f => new FileInfo(f).Length);
        var vectorBytes = (long)(items * 2L) * dim * sizeof(float);
        report["reopenSeconds"] = reopenSeconds;
        report["graphRebuilt"] = stats.RebuiltOnOpen;
        report["efAfterReopen"] = stats.ExpansionSearch;
        report["afterReopen"] = new { ef = chosen, recallAt10 = reopenedRecall, qpsOneAtATime = reopened.QueriesPerSecond, qpsConcurrent = reopenedConcurrent.Qps, p99ConcurrentMs = reopenedConcurrent.P99Ms };
        report["residentBytesViewed"] = resident;
        report["vectorBytes"] = vectorBytes;
        report["graphBytes"] = graphFiles;
        report["graphMemoryBytes"] = stats.MemoryBytes;

        // 5. Writes with the store full: the first change loads the viewed graphs into memory; then the probe again.
        var toMemory = Stopwatch.StartNew();
        var random = new Random(3);
        var first = kept[0] with { Specific = Noise(random, kept[0].Specific) };
        await store.UpsertAsync(Index, [first]);
        await store.WaitForGraphAsync(Index);
        report["viewToMemorySeconds"] = toMemory.Elapsed.TotalSeconds;
        var fresh = probeRecords.Select(r => r with { ItemId = "new-" + r.ItemId }).ToList();
        var fullRate = await IngestAsync(store, fresh);
        report["ingestFullRecordsPerSecond"] = fullRate.Searchable;
        report["ingestFullGraphRecordsPerSecond"] = fullRate.InGraph;
        report["ingestRatio"] = fullRate.Searchable / emptyRate.Searchable;
        report["ingestGraphRatio"] = fullRate.InGraph / emptyRate.InGraph;
        Say($"ingest with {items:N0} items present: {fullRate.Searchable:N0} records/s to searchable ({fullRate.Searchable / emptyRate.Searchable:P0} of the empty store's), " +
            $"{fullRate.InGraph:N0} into the graphs ({fullRate.InGraph / emptyRate.InGraph:P0}); views loaded into memory in {toMemory.Elapsed.TotalSeconds:F1} s");

        var deletes = kept.Select(r => r.ItemId).Distinct().Take(1000).ToList();
        var deleteClock = Stopwatch.StartNew();
        foreach (var id in deletes)
        {
            await store.DeleteItemAsync(Index, id);
        }

        var deleteRate = deletes.Count / deleteClock.Elapsed.TotalSeconds;
        var replaced = probeRecords.Take(1000).Select(r => r with { Specific = Noise(random, r.Specific), Shared = Noise(random, r.Shared) }).ToList();
        var replaceClock = Stopwatch.StartNew();
        foreach (var batch in replaced.Chunk(100))
        {
            await store.UpsertAsync(Index, batch);
        }

        await store.WaitForGraphAsync(Index);
        var replaceRate = replaced.Count / replaceClock.Elapsed.TotalSeconds;
        var deletedFound = 0;
        foreach (var gone in kept.Where(r => deletes.Contains(r.ItemId)).Take(200))
        {
            var hits = await store.SearchAsync(Index, new VectorQuery(gone.Specific, gone.Shared, 0.5, 0.5, gone.Modality, 10));
            deletedFound += hits.Count(h => h.ItemId == gone.ItemId);
        }

        var replacedFound = 0;
        foreach (var moved in replaced.Take(200))
        {
            var hits = await store.SearchAsync(Index, new VectorQuery(moved.Specific, moved.Shared, 0.5, 0.5, moved.Modality, 10));
            replacedFound += hits.Any(h => h.ItemId == moved.ItemId && h.Score > 0.9999) ? 1 : 0;
        }

        Say($"deletes {deleteRate:N0} items/s (deleted items found again: {deletedFound} of 200 probes), replacements {replaceRate:N0} records/s to searchable (found with their new vectors: {replacedFound} of 200)");
        report["deletesPerSecond"] = deleteRate;
        report["deletedFound"] = deletedFound;
        report["replacementsPerSecond"] = replaceRate;
        report["replacedFoundOf200"] = replacedFound;
        report["residentBytesInMemory"] = ResidentBytes() - baseline;
        store.Dispose();
        Directory.Delete(storeRoot, recursive: true);
        Directory.CreateDirectory(vectors);
        NpyWriter.Write(Path.Combine(vectors, "base.npy"), peerBase);
        NpyWriter.Write(Path.Combine(vectors, "queries.npy"), peerQueries);
        peerBase = null;

        // 6. int8 mode on the first --int8-items items, float32 beside it on the same records.
        ForceCollect();
        report["int8"] = new
        {
            items = int8Items,
            float32 = await SmallStoreAsync(options with { RootDirectory = storeRoot + "-f32" }, definition, int8Source, textToImage, chosen, Say),
            int8 = await SmallStoreAsync(options with { RootDirectory = storeRoot + "-i8", HnswInt8 = true }, definition, int8Source, textToImage, chosen, Say),
        };

        var written = await BenchRun.WriteJsonAsync(jsonPath, report);
        Say($"results: {written}");
        return 0;
    }

    private static async Task<object> SmallStoreAsync(
        EmbeddedVectorStoreOptions options, IndexDefinition definition, List<VectorRecord> records, IReadOnlyList<VectorQuery> queries,
        int ef, Action<string> say)
    {
        ForceCollect();
        var baseline = ResidentBytes();
        using (var store = new EmbeddedVectorStore(options with { HnswExpansionSearch = ef }))
        {
            await store.CreateIndexAsync(definition);
            await UpsertAllAsync(store, records);
            await store.WaitForGraphAsync(Index);
            var truth = Exact(store, queries);
            var run = await SearchRun.SequentialAsync(store, Index, queries);
            var recall = SearchRun.Recall(truth, run.Hits);
            ForceCollect();
            var resident = ResidentBytes() - baseline;
            var memory = store.GraphStats(Index)!.MemoryBytes;
            say($"{(options.HnswInt8 ? "int8" : "float32")} graphs, {records.Count:N0} records: recall@10 {recall:F3} at ef {ef}, {run.QueriesPerSecond:N0} q/s, resident {resident / 1e6:N0} MB, graphs {memory / 1e6:N0} MB");
            var result = new { records = records.Count, recallAt10 = recall, qps = run.QueriesPerSecond, residentBytes = resident, graphMemoryBytes = memory, residentBytesPerMillionItems = resident * 2_000_000.0 / records.Count };
            store.Dispose();
            Directory.Delete(options.RootDirectory, recursive: true);
            return result;
        }
    }

    /// <summary>
    /// Upserts in batches; records per second until the last upsert returned, when they are searchable (a search for
    /// the last record finds it: rows not yet in the graph are scored exactly), and until the graphs hold them all.
    /// </summary>
    private static async Task<(double Searchable, double InGraph)> IngestAsync(EmbeddedVectorStore store, List<VectorRecord> records)
    {
        var clock = Stopwatch.StartNew();
        await UpsertAllAsync(store, records);
        var last = records[^1];
        var found = (await store.SearchAsync(Index, new VectorQuery(last.Specific, last.Shared, 0.5, 0.5, last.Modality, 10))).Any(h => h.ItemId == last.ItemId);
        var searchable = records.Count / clock.Elapsed.TotalSeconds;
        await store.WaitForGraphAsync(Index);
        if (!found)
        {
            throw new InvalidOperationException($"{last.ItemId} was not found right after its upsert returned");
        }

        return (searchable, records.Count / clock.Elapsed.TotalSeconds);
    }

    private static async Task UpsertAllAsync(EmbeddedVectorStore store, List<VectorRecord> records)
    {
        for (var start = 0; start < records.Count; start += BatchRecords)
        {
            await store.UpsertAsync(Index, records.GetRange(start, Math.Min(BatchRecords, records.Count - start)));
        }
    }

    /// <summary>The exact answers of the store's own scan, 16 queries per pass.</summary>
    private static IReadOnlyList<VectorHit>[] Exact(EmbeddedVectorStore store, IReadOnlyList<VectorQuery> queries) =>
        [.. queries.Chunk(16).SelectMany(chunk => store.ScanTogether(Index, chunk))];

    private static async Task<((IReadOnlyList<VectorHit>[] Hits, double[] LatencyMs, double QueriesPerSecond) Run, (double Qps, double P99Ms) Concurrent)> MeasureAsync(
        EmbeddedVectorStore store, IReadOnlyList<VectorQuery> queries, int callers)
    {
        foreach (var query in queries.Take(20))
        {
            await store.SearchAsync(Index, query);
        }

        var run = await SearchRun.SequentialAsync(store, Index, queries);
        var latencies = new double[queries.Count];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int q;
            while ((q = Interlocked.Increment(ref next)) < queries.Count)
            {
                var start = Stopwatch.GetTimestamp();
                await store.SearchAsync(Index, queries[q]);
                latencies[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        return (run, (queries.Count / total.Elapsed.TotalSeconds, P99(latencies)));
    }

    private static double P99(double[] latencies) => Percentiles.Of(Percentiles.Sorted(latencies), 99);

    /// <summary>Each item gets the selectivity labels for its share (by a hash of its index, the same for both records).</summary>
    private static List<VectorRecord> WithSelectivityLabels(IReadOnlyList<VectorRecord> records)
    {
        var labelled = new List<VectorRecord>(records.Count);
        var item = -1;
        string? last = null;
        foreach (var record in records)
        {
            if (record.ItemId != last)
            {
                item++;
                last = record.ItemId;
            }

            var u = (int)((uint)(item * 2654435761u) % 1000);
            var extra = Selectivities.Where(s => u < s.Share * 1000).Select(s => s.Label);
            labelled.Add(record with { Labels = [.. record.Labels, .. extra] });
        }

        return labelled;
    }

    private static float[] Noise(Random random, float[] vector) =>
        [.. vector.Select(v => v + (float)((random.NextDouble() - 0.5) * 0.5))];

    private static void ForceCollect()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        // Native memory a closed store freed (USearch's graphs) stays in glibc's heap, counted in VmRSS, until trimmed: without
        // this a baseline taken after a closed store could exceed a later reading (a negative resident figure).
        MallocTrim(0);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    /// <summary>VmRSS of this process (anonymous memory and the mapped pages it touched).</summary>
    private static long ResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        // "VmRSS:\t  123456 kB": a tab, then padding that shrinks as the number grows (none from 8 digits on).
        return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
