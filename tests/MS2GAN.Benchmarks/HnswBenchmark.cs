using System.Diagnostics;
using System.Text.Json;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Benchmarks;

/// <summary>
/// <c>hnsw</c>: recall@10 of the embedded store's HNSW mode against its exact scan, and the speed of both, on real
/// model vectors (Wikipedia, mixed up to --items) and on uniform random vectors.
/// Options: --items N (100000), --queries N per direction (500), --callers N (8), --corpus wikipedia|uniform|both,
/// --data DIR, --model DIR (trained there when missing), --json FILE, and --connectivity/--ef-add/--ef-search/--threshold to
/// try graph settings other than the store's defaults.
/// </summary>
internal static class HnswBenchmark
{
    internal const string Index = "bench";
    private const int BatchSize = 2000;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var items = args.Int("items", 100_000);
        var queries = args.Int("queries", 500);
        var callers = args.Int("callers", 8);
        var corpus = args.String("corpus") ?? "both";
        var defaults = new EmbeddedVectorStoreOptions { RootDirectory = "unused" };
        var hnsw = defaults with
        {
            Mode = VectorSearchMode.Hnsw,
            HnswConnectivity = args.Int("connectivity", defaults.HnswConnectivity),
            HnswExpansionAdd = args.Int("ef-add", defaults.HnswExpansionAdd),
            HnswThreshold = args.Int("threshold", defaults.HnswThreshold, min: 0),
        };

        // Several ef values are measured on the same graphs: the store is reopened over the saved graph files.
        var efs = args.String("ef-search") is { } list
            ? list.Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : [defaults.HnswExpansionSearch];
        var corpora = new List<Func<BenchCorpus>>();
        if (corpus is "wikipedia" or "both")
        {
            var data = args.String("data") ?? Path.Combine("..", "shared", "data", "wikipedia");
            if (!File.Exists(Path.Combine(data, "train_labels.npy")))
            {
                throw new BenchUsageException($"no Wikipedia features at {Path.GetFullPath(data)}: pass --data DIR, or --corpus uniform");
            }

            var model = args.String("model") ?? Path.Combine(Path.GetTempPath(), "ms2gan-bench", "wikipedia-model");
            corpora.Add(() => WikipediaCorpus.Create(data, model, items, queries, seed: 7));
        }

        if (corpus is "uniform" or "both")
        {
            corpora.Add(() => UniformCorpus.Create(items, queries, dim: 128, seed: 11));
        }

        Console.WriteLine($"hnsw benchmark: {items} items, {queries} queries per direction, {callers} concurrent callers, " +
            $"{Environment.ProcessorCount} cores; graph M={hnsw.HnswConnectivity} efConstruction={hnsw.HnswExpansionAdd} ef={string.Join(',', efs)}");
        var results = new List<HnswCorpusResult>();
        foreach (var make in corpora)
        {
            var made = make();
            Console.WriteLine();
            Console.WriteLine($"== {made.Name}: {made.Description}");
            results.AddRange(await RunCorpusAsync(made, hnsw, efs, callers));
        }

        if (args.String("json") is { } json)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"figures written to {json}");
        }

        return 0;
    }

    private static async Task<List<HnswCorpusResult>> RunCorpusAsync(
        BenchCorpus corpus, EmbeddedVectorStoreOptions hnswOptions, int[] efs, int callers)
    {
        var root = Path.Combine(Path.GetTempPath(), "ms2gan-bench", "stores-" + Guid.NewGuid().ToString("N"));
        try
        {
            var definition = new IndexDefinition(Index, corpus.SpecificDim, corpus.SharedDim, null);
            using var exact = new EmbeddedVectorStore(new EmbeddedVectorStoreOptions { RootDirectory = Path.Combine(root, "exact") });
            hnswOptions = hnswOptions with { RootDirectory = Path.Combine(root, "hnsw"), HnswExpansionSearch = efs[0] };
            var hnsw = new EmbeddedVectorStore(hnswOptions);
            var exactLoad = await LoadAsync(exact, definition, corpus.Records);
            var hnswLoad = await LoadAsync(hnsw, definition, corpus.Records);
            var clock = Stopwatch.StartNew();
            if (!await hnsw.WaitForGraphAsync(Index))
            {
                Console.WriteLine($"the graph is not used: {corpus.Records.Count} records are below HnswThreshold {hnswOptions.HnswThreshold}");
            }

            var build = hnswLoad + clock.Elapsed.TotalSeconds;
            Console.WriteLine($"{corpus.Records.Count} records; exact load {exactLoad:F1} s; HNSW load {hnswLoad:F1} s, " +
                $"graph caught up {clock.Elapsed.TotalSeconds:F1} s after the last write ({build:F1} s from the first)");
            var results = new List<HnswCorpusResult>();
            var truths = new Dictionary<string, ExactFigures>();
            foreach (var ef in efs)
            {
                if (ef != hnswOptions.HnswExpansionSearch)
                {
                    hnsw.Dispose();
                    hnswOptions = hnswOptions with { HnswExpansionSearch = ef };
                    hnsw = new EmbeddedVectorStore(hnswOptions);
                    await hnsw.WaitForGraphAsync(Index);
                }

                Console.WriteLine($"ef {ef}:");
                var directions = await RunDirectionsAsync(corpus, exact, hnsw, truths, callers);
                results.Add(new HnswCorpusResult(
                    corpus.Name, corpus.Description, corpus.Records.Count, hnswOptions.HnswConnectivity, hnswOptions.HnswExpansionAdd,
                    ef, exactLoad, hnswLoad, build, directions));
            }

            hnsw.Dispose();
            return results;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task<List<HnswDirectionResult>> RunDirectionsAsync(
        BenchCorpus corpus, IVectorStore exact, IVectorStore hnsw, Dictionary<string, ExactFigures> truths, int callers)
    {
        Console.WriteLine($"{"direction",-12} {"recall@10",9} {"exact q/s",9} {"hnsw q/s",9} {"exact q/s",9} {"hnsw q/s",9} {"exact p50",9} {"p99",7} {"hnsw p50",9} {"p99",7}");
        Console.WriteLine($"{"",-12} {"",9} {"1 thread",9} {"1 thread",9} {$"{callers} conc",9} {$"{callers} conc",9} {"ms",9} {"ms",7} {"ms",9} {"ms",7}");
        var directions = new List<HnswDirectionResult>();
        foreach (var set in corpus.QuerySets)
        {
            await WarmUpAsync(exact, hnsw, set.Queries);
            if (!truths.TryGetValue(set.Direction, out var known))
            {
                var run = await SearchRun.SequentialAsync(exact, Index, set.Queries);
                known = new ExactFigures(run.Hits, run.LatencyMs, run.QueriesPerSecond, await SearchRun.ConcurrentAsync(exact, Index, set.Queries, callers));
                truths[set.Direction] = known;
            }

            var (truth, exactConcurrent) = ((known.Hits, known.LatencyMs, known.QueriesPerSecond), known.ConcurrentQps);
            var graph = await SearchRun.SequentialAsync(hnsw, Index, set.Queries);
            var hnswConcurrent = await SearchRun.ConcurrentAsync(hnsw, Index, set.Queries, callers);
            var result = new HnswDirectionResult(
                set.Direction, set.Queries.Count, SearchRun.Recall(truth.Hits, graph.Hits),
                truth.QueriesPerSecond, graph.QueriesPerSecond, exactConcurrent, hnswConcurrent, callers,
                Percentiles.Of(Percentiles.Sorted(truth.LatencyMs), 50), Percentiles.Of(Percentiles.Sorted(truth.LatencyMs), 99),
                Percentiles.Of(Percentiles.Sorted(graph.LatencyMs), 50), Percentiles.Of(Percentiles.Sorted(graph.LatencyMs), 99));
            directions.Add(result);
            Console.WriteLine($"{result.Direction,-12} {result.RecallAt10,9:F3} {result.ExactQps1,9:F0} {result.HnswQps1,9:F0} " +
                $"{result.ExactQpsConcurrent,9:F0} {result.HnswQpsConcurrent,9:F0} {result.ExactP50Ms,9:F2} {result.ExactP99Ms,7:F2} " +
                $"{result.HnswP50Ms,9:F2} {result.HnswP99Ms,7:F2}");
        }

        return directions;
    }

    internal static async Task<double> LoadAsync(EmbeddedVectorStore store, IndexDefinition definition, IReadOnlyList<VectorRecord> records)
    {
        var clock = Stopwatch.StartNew();
        await store.CreateIndexAsync(definition);
        for (var start = 0; start < records.Count; start += BatchSize)
        {
            await store.UpsertAsync(Index, [.. records.Skip(start).Take(BatchSize)]);
        }

        return clock.Elapsed.TotalSeconds;
    }

    internal static async Task WarmUpAsync(IVectorStore exact, IVectorStore hnsw, IReadOnlyList<VectorQuery> queries)
    {
        foreach (var query in queries.Take(10))
        {
            await exact.SearchAsync(Index, query);
            await hnsw.SearchAsync(Index, query);
        }
    }

    private sealed record ExactFigures(IReadOnlyList<VectorHit>[] Hits, double[] LatencyMs, double QueriesPerSecond, double ConcurrentQps);
}
