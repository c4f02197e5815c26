using MS2GAN.Features.Data;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Benchmarks;

/// <summary>
/// <c>search-peers</c>: the embedded store, exact and HNSW, on the vectors bench/faiss_peer.py gives FAISS. The
/// records are the image records of the Wikipedia model corpus (<see cref="WikipediaCorpus"/>), the queries its
/// text->image queries; both are written as .npy ([S ; C] per record, [w_s S ; w_c C] per query, each part
/// L2-normalised, so an inner product is the store's score). HNSW is measured at several ef values on one graph.
/// Options: --data DIR, --model DIR (trained there when missing), --items N (100000), --queries N (1000),
/// --callers N (8), --ef-search LIST (16,32,64,128,256), --vectors DIR (where the .npy go), --json FILE.
/// </summary>
internal static class SearchPeersBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var items = args.Int("items", 100_000);
        var queries = args.Int("queries", 1_000);
        var callers = args.Int("callers", 8);
        var efs = (args.String("ef-search") ?? "16,32,64,128,256").Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        var data = args.String("data") ?? Path.Combine("..", "shared", "data", "wikipedia");
        var model = args.String("model") ?? Path.Combine(Path.GetTempPath(), "ms2gan-bench", "wikipedia-model");
        var vectors = args.String("vectors") ?? Path.Combine("artifacts", "bench", "vectors");
        var jsonPath = args.String("json") ?? Path.Combine("artifacts", "bench", "search-peers.json");
        if (!File.Exists(Path.Combine(data, "train_labels.npy")))
        {
            throw new BenchUsageException($"no Wikipedia features at {Path.GetFullPath(data)}: pass --data DIR");
        }

        var corpus = WikipediaCorpus.Create(data, model, items, queries, seed: 7);
        var records = corpus.Records.Where(r => r.Modality == VectorModalities.Image).ToList();
        var set = corpus.QuerySets.Single(s => s.Direction == "text->image");
        Directory.CreateDirectory(vectors);
        NpyWriter.Write(Path.Combine(vectors, "base.npy"), Joint(records.Select(r => (r.Specific, r.Shared, 1.0, 1.0)).ToList()));
        NpyWriter.Write(Path.Combine(vectors, "queries.npy"), Joint(set.Queries.Select(q => (q.Specific, q.Shared, q.SpecificWeight, q.SharedWeight)).ToList()));
        Console.WriteLine($"search-peers: {records.Count:N0} image records ({corpus.SpecificDim}+{corpus.SharedDim}-d), {set.Queries.Count:N0} text->image queries, " +
            $"{callers} concurrent callers, {Environment.ProcessorCount} cores; vectors written to {Path.GetFullPath(vectors)}");

        var root = Directory.CreateTempSubdirectory("ms2gan-search-peers-");
        try
        {
            var definition = new IndexDefinition(HnswBenchmark.Index, corpus.SpecificDim, corpus.SharedDim, null);
            using var exact = new EmbeddedVectorStore(new EmbeddedVectorStoreOptions { RootDirectory = Path.Combine(root.FullName, "exact") });
            var hnswOptions = new EmbeddedVectorStoreOptions { RootDirectory = Path.Combine(root.FullName, "hnsw"), Mode = VectorSearchMode.Hnsw, HnswExpansionSearch = efs[0], HnswThreshold = 0 };
            using var hnsw = new EmbeddedVectorStore(hnswOptions);
            await HnswBenchmark.LoadAsync(exact, definition, records);
            var build = System.Diagnostics.Stopwatch.StartNew();
            await HnswBenchmark.LoadAsync(hnsw, definition, records);
            await hnsw.WaitForGraphAsync(HnswBenchmark.Index);
            var buildSeconds = build.Elapsed.TotalSeconds;
            await HnswBenchmark.WarmUpAsync(exact, hnsw, set.Queries);
            var truth = await SearchRun.SequentialAsync(exact, HnswBenchmark.Index, set.Queries);
            var exactConcurrent = await SearchRun.ConcurrentAsync(exact, HnswBenchmark.Index, set.Queries, callers);
            var batchClock = System.Diagnostics.Stopwatch.StartNew();
            var batched = await exact.SearchBatchAsync(HnswBenchmark.Index, set.Queries);
            var exactBatch = set.Queries.Count / batchClock.Elapsed.TotalSeconds;
            var batchSame = truth.Hits.Zip(batched).All(p => p.First.Select(h => (h.ItemId, h.Score)).SequenceEqual(p.Second.Select(h => (h.ItemId, h.Score))));
            Console.WriteLine($"  exact: {truth.QueriesPerSecond:N0} q/s one at a time, {exactConcurrent:N0} q/s with {callers} callers, " +
                $"{exactBatch:N0} q/s all {set.Queries.Count} in one call (answers equal to one at a time: {batchSame})");
            Console.WriteLine($"  HNSW (M {hnswOptions.HnswConnectivity}, efConstruction {hnswOptions.HnswExpansionAdd}): graph built in {buildSeconds:F1} s");
            var graphs = new List<object>();
            foreach (var ef in efs)
            {
                // One graph, its ef changed between runs (USearch applies it at once; a reopened graph no longer keeps 64).
                hnsw.Tune(HnswBenchmark.Index, ef, null);
                await HnswBenchmark.WarmUpAsync(exact, hnsw, set.Queries);
                var run = await SearchRun.SequentialAsync(hnsw, HnswBenchmark.Index, set.Queries);
                var recall = SearchRun.Recall(truth.Hits, run.Hits);
                var concurrent = await SearchRun.ConcurrentAsync(hnsw, HnswBenchmark.Index, set.Queries, callers);
                Console.WriteLine($"    ef {ef,4}: recall@10 {recall:F3}, {run.QueriesPerSecond:N0} q/s one at a time, {concurrent:N0} q/s with {callers} callers");
                graphs.Add(new { ef, recallAt10 = recall, qpsOneAtATime = run.QueriesPerSecond, qpsConcurrent = concurrent });
            }

            var written = await BenchRun.WriteJsonAsync(jsonPath, new
            {
                machine = BenchRun.Machine,
                items = records.Count,
                queries = set.Queries.Count,
                dim = corpus.SpecificDim + corpus.SharedDim,
                callers,
                corpus = corpus.Description,
                exact = new { qpsOneAtATime = truth.QueriesPerSecond, qpsConcurrent = exactConcurrent, qpsBatch = exactBatch, batchEqualsOneAtATime = batchSame },
                hnsw = new { m = hnswOptions.HnswConnectivity, efConstruction = hnswOptions.HnswExpansionAdd, buildSeconds, runs = graphs },
            });
            Console.WriteLine($"results: {written}");
            return 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>One row per vector pair: [specificWeight * S / |S| ; sharedWeight * C / |C|].</summary>
    internal static FeatureMatrix Joint(IReadOnlyList<(float[] Specific, float[] Shared, double SpecificWeight, double SharedWeight)> rows)
    {
        var width = rows[0].Specific.Length + rows[0].Shared.Length;
        var values = new float[rows.Count * width];
        for (var i = 0; i < rows.Count; i++)
        {
            var (s, c, ws, wc) = rows[i];
            Scaled(s, ws, values.AsSpan(i * width, s.Length));
            Scaled(c, wc, values.AsSpan((i * width) + s.Length, c.Length));
        }

        return new FeatureMatrix(values, rows.Count, width);
    }

    private static void Scaled(float[] vector, double weight, Span<float> into)
    {
        var norm = Math.Max(System.Numerics.Tensors.TensorPrimitives.Norm(vector), 1e-12f);
        for (var j = 0; j < vector.Length; j++)
        {
            into[j] = (float)(vector[j] / norm * weight);
        }
    }
}
