using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Encoder;
using MS2GAN.Pipeline;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Onnx;
using MS2GAN.Model.Inference;
using MS2GAN.Model.Registry;
using MS2GAN.Search;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Trainer.Tests;

/// <summary>
/// One test's pipeline, all real: SQLite items (labelled synthetic-cluster items with features), the embedded vector
/// store, a model registry seeded with the tiny model and its items indexed by the real encoder, the search service,
/// and the lifecycle publishing on MassTransit's in-memory test harness.
/// </summary>
public sealed class LifecycleWorld : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly OnnxSessionFactory _sessions = new(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cpu });
    private readonly ServiceProvider _bus;

    private LifecycleWorld(string seedModel, LifecycleOptions options, Func<IItemStore, IItemStore>? wrapItems, Func<string, IVectorStore>? vectorStore)
    {
        Sqlite = new SqliteItemStore(_folder.File("items.db"));
        Items = wrapItems?.Invoke(Sqlite) ?? Sqlite;
        Media = new FileMediaStore(new FileMediaStoreOptions { RootPath = _folder.File("media") });
        Vectors = vectorStore?.Invoke(_folder.File("vectors"))
            ?? new EmbeddedVectorStore(new EmbeddedVectorStoreOptions { RootDirectory = _folder.File("vectors") });
        Registry = new ModelRegistry(_folder.File("models"));
        Catalog = new ModelCatalog(Registry, _sessions, seedModel);
        Backbones = new BackboneSet(_sessions);
        Vectorizer = new ItemVectorizer(Media, Backbones);
        Metrics = new ServiceCollection().AddMs2GanMetrics().BuildServiceProvider().GetRequiredService<Ms2GanMetrics>();
        Encoder = new ItemEncoder(Items, Vectors, Catalog, Vectorizer, Metrics, Microsoft.Extensions.Options.Options.Create(new EncoderOptions()),
            NullLogger<ItemEncoder>.Instance);
        Search = new SearchService(Vectors, Items, Catalog, Vectorizer, Backbones);
        Options = options;
        _bus = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);
        Harness = _bus.GetRequiredService<ITestHarness>();
        Reindexer = NewReindexer();
        Lifecycle = new ModelLifecycle(Items, Vectors, Catalog, Reindexer, Harness.Bus, Microsoft.Extensions.Options.Options.Create(options),
            NullLogger<ModelLifecycle>.Instance);
    }

    public SqliteItemStore Sqlite { get; }
    public IItemStore Items { get; }
    public FileMediaStore Media { get; }
    public IVectorStore Vectors { get; }
    public ModelRegistry Registry { get; }
    public ModelCatalog Catalog { get; }
    public BackboneSet Backbones { get; }
    public ItemVectorizer Vectorizer { get; }
    public Ms2GanMetrics Metrics { get; }
    public ItemEncoder Encoder { get; }
    public SearchService Search { get; }
    public LifecycleOptions Options { get; }
    public ITestHarness Harness { get; }
    public Reindexer Reindexer { get; }
    public ModelLifecycle Lifecycle { get; }

    /// <summary>
    /// Starts a world whose item store holds <paramref name="perClass"/> items of each of the four classes, indexed with
    /// the tiny model. <paramref name="wrapItems"/> may put a fault-injecting decorator around the item store;
    /// <paramref name="vectorStore"/> replaces the embedded vector store (given the folder it would use).
    /// </summary>
    public static async Task<LifecycleWorld> StartAsync(string seedModel, int perClass = 40, LifecycleOptions? options = null,
        Func<IItemStore, IItemStore>? wrapItems = null, Func<string, IVectorStore>? vectorStore = null)
    {
        var world = new LifecycleWorld(seedModel, options ?? new LifecycleOptions(), wrapItems, vectorStore);
        await world.Harness.Start();
        // What the trainer does when it starts: the active index behind the search alias.
        await world.Lifecycle.ServeActiveIndexAsync(default);
        await world.AddItemsAsync("item", perClass, seed: 5);
        return world;
    }

    /// <summary>A new reindexer over this world's stores (a restarted trainer).</summary>
    public Reindexer NewReindexer() =>
        new(Items, Vectors, Catalog, Vectorizer, Harness.Bus, Microsoft.Extensions.Options.Options.Create(Options), Metrics, NullLogger<Reindexer>.Instance);

    /// <summary>Records labelled items (ids <c>{prefix}-0000</c> and up) and indexes them through the encoder.</summary>
    public async Task<IReadOnlyList<string>> AddItemsAsync(string prefix, int perClass, int seed)
    {
        var split = SyntheticClusters.Split(perClass, seed);
        var records = Enumerable.Range(0, split.Count).Select(row =>
        {
            var image = split.Image.Row(row).ToArray();
            var text = split.Text.Row(row).ToArray();
            string[] labels = [$"class-{split.Labels[row]}"];
            return new ItemRecord
            {
                Id = $"{prefix}-{row:D4}",
                Labels = labels,
                Metadata = new Dictionary<string, string> { ["batch"] = prefix },
                ImageFeatures = image,
                TextFeatures = text,
                ContentHash = ItemContentHash.Compute(labels, new Dictionary<string, string> { ["batch"] = prefix }, null, null, image, text),
            };
        }).ToList();
        await Items.UpsertManyAsync(records);
        var ids = records.Select(r => r.Id).ToList();
        var outcome = await Encoder.EncodeAsync(ids);
        Assert.Empty(outcome.Failed);
        return ids;
    }

    /// <summary>
    /// The (id, modality, score) answers of a few fixed text-to-image and image-to-text queries through the search service,
    /// over the items added under <paramref name="batch"/> only when given.
    /// </summary>
    public async Task<IReadOnlyList<(string Version, string Answer)>> AnswersAsync(string? batch = null)
    {
        var queries = SyntheticClusters.Split(perClass: 2, seed: 77);
        var answers = new List<(string, string)>();
        for (var row = 0; row < queries.Count; row++)
        {
            foreach (var (modality, features, target) in new[]
                     {
                         ("text", queries.Text.Row(row).ToArray(), "image"),
                         ("image", queries.Image.Row(row).ToArray(), "text"),
                     })
            {
                var response = await Search.SearchAsync(new SearchRequest
                {
                    Query = new SearchQuery(null, null, null, features, modality),
                    Target = target,
                    K = 10,
                    Filter = batch is null ? null : new SearchFilter(null, new Dictionary<string, string> { ["batch"] = batch }),
                });
                answers.Add((response.ModelVersion, string.Join(" ", response.Hits.Select(h => $"{h.Id}/{h.Modality}/{h.Score:R}"))));
            }
        }
        return answers;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _bus.DisposeAsync();
        Catalog.Dispose();
        Backbones.Dispose();
        (Vectors as IDisposable)?.Dispose();
        Sqlite.Dispose();
        _folder.Dispose();
    }
}
