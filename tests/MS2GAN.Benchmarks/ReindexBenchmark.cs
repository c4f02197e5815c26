using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Contracts;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Inference;
using MS2GAN.Model.Registry;
using MS2GAN.Pipeline;
using MS2GAN.Storage.Media;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;
using MS2GAN.ServiceDefaults;
using MS2GAN.Trainer;

namespace MS2GAN.Benchmarks;

/// <summary>
/// `reindex`: the trainer's <see cref="Reindexer"/> promoting a second model version over a feature-mode corpus, in
/// this process: a real SQLite item store (items with cached features, indexed by the first version), the embedded
/// vector store, the model registry and catalog, and a started in-memory MassTransit bus for its events. Nothing is
/// trained during the measurement: the registry is given a "promote" reindex as a retrain that passed the gate leaves
/// it, and <see cref="Reindexer.ResumeAsync"/> is timed end to end (every page read, encoded, written and checkpointed,
/// then the alias swap). The store calls are timed inside the run; encoding and checkpoints are timed on the side.
/// </summary>
public static class ReindexBenchmark
{
    /// <summary>Issue 3's HTTP ingest to searchable, batched (README, Results): the figure the reindex rate is compared with.</summary>
    private const double IngestItemsPerSecond = 4_334;

    private const string EncodeStage = "ONNX encode (on the side)";
    private const string CheckpointStage = "registry checkpoints (on the side)";
    private const string RestStage = "rest (filtering, records, events, swap)";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var items = args.Int("items", 100_000, 1_000);
        var batch = args.Int("batch", new LifecycleOptions().ReindexBatchSize, 1, 10_000);
        var epochs = args.Int("epochs", 5, 1);
        var jsonPath = args.String("json") ?? Path.Combine("artifacts", "bench", "reindex.json");
        var corpus = new SyntheticCorpus();
        return await BenchRun.InTempFolderAsync("reindex", async work =>
        {
            var activeFolder = BenchModel.Train(corpus, work.FullName, epochs, seed: 42, name: "model-active");
            var nextFolder = BenchModel.Train(corpus, work.FullName, epochs, seed: 7, name: "model-next");

            using var itemStore = new SqliteItemStore(Path.Combine(work.FullName, "items.db"));
            using var vectorStore = new EmbeddedVectorStore(new EmbeddedVectorStoreOptions { RootDirectory = Path.Combine(work.FullName, "vectors") });
            var registry = new ModelRegistry(Path.Combine(work.FullName, "registry"));
            // The services' default provider (Auto): CUDA where it loads, else the CPU after ONNX Runtime logs why.
            using var catalog = new ModelCatalog(registry, new OnnxSessionFactory(), activeFolder);
            var active = catalog.Active;
            await FillAsync(itemStore, corpus, items, active.Version);
            // The active version's index is where searches read meanwhile; the reindex never touches it, so it stays empty here.
            await vectorStore.CreateIndexAsync(new IndexDefinition(active.IndexName, active.Model.Manifest.SpecificDim, active.Model.Manifest.SharedDim, active.Version));
            await vectorStore.SetAliasAsync(ModelCatalog.Alias, active.IndexName);

            var clock = new StageClock();
            var media = new FileMediaStore(new FileMediaStoreOptions { RootPath = Path.Combine(work.FullName, "media") });
            await using var provider = TrainerServices(new TimedItemStore(itemStore, clock), new TimedVectorStore(vectorStore, clock), catalog, media, batch);
            var busControl = provider.GetRequiredService<IBusControl>();
            await busControl.StartAsync();

            var nextVersion = ModelFolder.Read(nextFolder).Version;
            var reindex = Promote(registry, nextFolder, nextVersion, active.Version, items);
            Console.WriteLine($"reindex: {items:N0} items from {active.Version} to {nextVersion}, pages of {batch:N0} (Lifecycle:ReindexBatchSize)");
            var (gcPauseBefore, gen2Before, allocatedBefore) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
            var watch = Stopwatch.StartNew();
            ReindexCompleted completed;
            try
            {
                completed = await provider.GetRequiredService<Reindexer>().ResumeAsync(CancellationToken.None)
                    ?? throw new InvalidOperationException("the reindexer found no reindex in the registry");
            }
            finally
            {
                await busControl.StopAsync();
            }
            var seconds = watch.Elapsed.TotalSeconds;
            var gc = (PauseSeconds: (GC.GetTotalPauseDuration() - gcPauseBefore).TotalSeconds, Gen2: GC.CollectionCount(2) - gen2Before,
                AllocatedGb: (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1e9);
            await CheckAsync(vectorStore, registry, reindex, items);

            var pages = (items + batch - 1) / batch;
            var side = new StageClock();
            await TimeEncodingAsync(side, catalog.Get(nextVersion), corpus, items, batch);
            await TimeCheckpointsAsync(side, registry, Path.Combine(work.FullName, "registry-side"), reindex, pages);
            var stages = new (string Stage, double Seconds)[]
            {
                (TimedItemStore.Paging, clock.Seconds(TimedItemStore.Paging)),
                (TimedItemStore.ReadsById, clock.Seconds(TimedItemStore.ReadsById)),
                (EncodeStage, side.Seconds(EncodeStage)),
                (TimedVectorStore.Upserts, clock.Seconds(TimedVectorStore.Upserts)),
                (CheckpointStage, side.Seconds(CheckpointStage)),
            };
            stages = [.. stages, (RestStage, seconds - stages.Sum(s => s.Seconds))];
            var rate = items / seconds;
            Print(items, batch, pages, seconds, stages);
            Console.WriteLine($"  (garbage collection paused the process for {gc.PauseSeconds:F2} s of it: {gc.Gen2} full collections, {gc.AllocatedGb:F2} GB allocated)");

            var report = new
            {
                machine = BenchRun.Machine,
                items,
                vectors = 2 * items,
                batch,
                pages,
                seconds,
                itemsPerSecond = rate,
                reindexerSeconds = completed.Seconds,
                ingestItemsPerSecond = IngestItemsPerSecond,
                ratioToIngest = rate / IngestItemsPerSecond,
                split = stages.ToDictionary(s => s.Stage, s => s.Seconds),
                gcPauseSeconds = gc.PauseSeconds,
                gen2Collections = gc.Gen2,
                allocatedGb = gc.AllocatedGb,
            };
            Console.WriteLine($"results: {await BenchRun.WriteJsonAsync(jsonPath, report)}");
            return 0;
        });
    }

    /// <summary>The trainer's registrations the reindexer needs, over the given stores, with MassTransit's in-memory bus (started by the caller).</summary>
    private static ServiceProvider TrainerServices(IItemStore items, IVectorStore vectors, ModelCatalog catalog, IMediaStore media, int batch)
    {
        // Feature mode: the vectorizer encodes the cached features; its media store and backbones are there for raw items.
        var services = new ServiceCollection()
            .AddLogging()
            .AddMs2GanMetrics()
            .AddSingleton(items)
            .AddSingleton(vectors)
            .AddSingleton(catalog)
            .AddSingleton(media)
            .AddSingleton(new BackboneSet(new OnnxSessionFactory()))
            .AddSingleton<ItemVectorizer>()
            .AddSingleton<Reindexer>();
        services.AddOptions<LifecycleOptions>().Configure(o => o.ReindexBatchSize = batch);
        services.AddMassTransit(bus => bus.UsingInMemory());
        return services.BuildServiceProvider();
    }

    private static void Print(int items, int batch, int pages, double seconds, IReadOnlyList<(string Stage, double Seconds)> stages)
    {
        var rate = items / seconds;
        Console.WriteLine();
        Console.WriteLine("| figure | measured | target |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| reindex, {items:N0} items ({2 * items:N0} vectors), pages of {batch:N0} | {rate:N0} items/s ({seconds:F1} s) | >= {2 * IngestItemsPerSecond:N0} items/s |");
        Console.WriteLine($"| ratio to the ingest rate ({IngestItemsPerSecond:N0} items/s) | {rate / IngestItemsPerSecond:F2}x | >= 2x |");
        Console.WriteLine();
        Console.WriteLine($"time split over {pages:N0} pages:");
        foreach (var (stage, stageSeconds) in stages)
        {
            Console.WriteLine($"  {stage,-40} {stageSeconds,6:F2} s  {100 * stageSeconds / seconds,5:F1} %");
        }
    }

    /// <summary>The corpus as the ingest API records it in feature mode, then marked indexed with the active version.</summary>
    private static async Task FillAsync(SqliteItemStore store, SyntheticCorpus corpus, int items, string version)
    {
        var watch = Stopwatch.StartNew();
        for (var from = 0; from < items; from += 1_000)
        {
            var chunk = new List<ItemRecord>(1_000);
            for (var i = from; i < Math.Min(items, from + 1_000); i++)
            {
                var (image, text, label) = corpus.Item(seed: 11, i);
                string[] labels = [$"class-{label}"];
                chunk.Add(new ItemRecord
                {
                    Id = $"bench-{i:D7}",
                    Labels = labels,
                    ImageFeatures = image,
                    TextFeatures = text,
                    ContentHash = ItemContentHash.Compute(labels, new Dictionary<string, string>(), null, null, image, text),
                });
            }
            await store.UpsertManyAsync(chunk);
            await store.MarkIndexedAsync([.. chunk.Select(item => item.Id)], version);
        }
        Console.WriteLine($"item store: {items:N0} items with cached {SyntheticCorpus.ImageDim}-d image and {SyntheticCorpus.TextDim}-d text features, " +
                          $"indexed with {version}, written in {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The registry as a retrain that passed the quality gate leaves it (ModelLifecycle): the candidate promoting, a reindex to run.</summary>
    private static ReindexState Promote(ModelRegistry registry, string folder, string version, string fromVersion, int items)
    {
        var now = DateTimeOffset.UtcNow;
        var reindex = new ReindexState
        {
            Kind = "promote", Version = version, IndexName = ServedModel.IndexNameFor(version), FromVersion = fromVersion,
            RequestedBy = "bench", Total = items, StartedAt = now,
        };
        registry.Update(s => s.With(new RegisteredModel
        {
            Version = version, Directory = registry.Relative(folder), Stage = ModelStage.Promoting, RegisteredAt = now, RequestedBy = "bench",
        }) with { Reindex = reindex });
        return reindex;
    }

    /// <summary>Throws unless the run did what a reindex must: every vector written, the alias swapped, the registry switched.</summary>
    private static async Task CheckAsync(IVectorStore vectors, ModelRegistry registry, ReindexState reindex, int items)
    {
        var written = await vectors.CountAsync(reindex.IndexName);
        var alias = await vectors.GetAliasAsync(ModelCatalog.Alias);
        var state = registry.Read();
        if (written != 2L * items || alias != reindex.IndexName || state.Active != reindex.Version || state.Reindex is not null)
        {
            throw new InvalidOperationException($"the reindex did not complete: {written} vectors in {reindex.IndexName}, alias {ModelCatalog.Alias} -> {alias}, " +
                                                $"active {state.Active}, reindex {(state.Reindex is null ? "cleared" : "still recorded")}");
        }
    }

    /// <summary>The reindexer's encoder calls again, page by page: both modalities of the same features with the same model.</summary>
    private static async Task TimeEncodingAsync(StageClock clock, ServedModel model, SyntheticCorpus corpus, int items, int batch)
    {
        for (var from = 0; from < items; from += batch)
        {
            var page = Enumerable.Range(from, Math.Min(batch, items - from)).Select(i => corpus.Item(seed: 11, i)).ToList();
            var image = FeatureMatrix.FromRows([.. page.Select(p => p.Image)], SyntheticCorpus.ImageDim);
            var text = FeatureMatrix.FromRows([.. page.Select(p => p.Text)], SyntheticCorpus.TextDim);
            await clock.TimeAsync(EncodeStage, () => Task.FromResult((model.Model.Encode("image", image), model.Model.Encode("text", text))));
        }
    }

    /// <summary>One checkpoint per page, as the reindexer writes them, into a copy of the registry.</summary>
    private static async Task TimeCheckpointsAsync(StageClock clock, ModelRegistry registry, string folder, ReindexState reindex, int pages)
    {
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(registry.Root, ModelRegistry.FileName), Path.Combine(folder, ModelRegistry.FileName));
        var copy = new ModelRegistry(folder);
        for (var page = 1; page <= pages; page++)
        {
            var checkpoint = reindex with { AfterId = $"bench-{page:D7}", Done = page, UpdatedAt = DateTimeOffset.UtcNow };
            await clock.TimeAsync(CheckpointStage, () => Task.FromResult(copy.Update(s => s with { Reindex = checkpoint })));
        }
    }
}
