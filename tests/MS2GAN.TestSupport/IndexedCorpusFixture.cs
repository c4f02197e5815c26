using Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Encoder;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using MS2GAN.Model;
using MS2GAN.Model.Inference;
using MS2GAN.Model.Registry;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;
using MS2GAN.Storage.Vectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MS2GAN.Pipeline;
using MS2GAN.Search;
using MS2GAN.ServiceDefaults;

namespace MS2GAN.TestSupport;

/// <summary>
/// A small feature-mode model trained on generated data, real embedded stores in a temp folder, and the
/// test split ingested into the item store and indexed by the real encoder.
/// </summary>
public sealed class IndexedCorpusFixture : IAsyncLifetime
{
    public const int Classes = SyntheticClusters.Classes;
    public const int ImageDim = SyntheticClusters.ImageDim;
    public const int TextDim = SyntheticClusters.TextDim;

    private readonly TempFolder _folder = new();
    private readonly OnnxSessionFactory _sessions = new(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cpu });

    public SqliteItemStore Items { get; private set; } = null!;
    public FileMediaStore Media { get; private set; } = null!;
    public EmbeddedVectorStore Vectors { get; private set; } = null!;
    public ModelCatalog Catalog { get; private set; } = null!;
    public ServedModel Active => Catalog.Active;
    public BackboneSet Backbones { get; private set; } = null!;
    public ItemVectorizer Vectorizer { get; private set; } = null!;
    public ItemEncoder Encoder { get; private set; } = null!;
    public SearchService Search { get; private set; } = null!;
    public FeatureSplit Test { get; private set; } = null!;
    public EncodeOutcome FirstOutcome { get; private set; } = null!;

    public static string Id(int row) => $"item-{row:D4}";

    public async Task InitializeAsync()
    {
        Test = SyntheticClusters.Split(perClass: 15, seed: 2);
        var model = SyntheticClusters.TrainTinyModel(_folder.Path, Test, epochs: 15);

        Items = new SqliteItemStore(_folder.File("items.db"));
        Media = new FileMediaStore(new FileMediaStoreOptions { RootPath = _folder.File("media") });
        Vectors = new EmbeddedVectorStore(new EmbeddedVectorStoreOptions { RootDirectory = _folder.File("vectors") });
        Catalog = new ModelCatalog(new ModelRegistry(_folder.File("models")), _sessions, model);
        Backbones = new BackboneSet(_sessions);
        Vectorizer = new ItemVectorizer(Media, Backbones);
        Encoder = NewEncoder(Vectors);
        Search = new SearchService(Vectors, Items, Catalog, Vectorizer, Backbones);

        var records = Enumerable.Range(0, Test.Count).Select(row => Record(row, Test.Image.Row(row).ToArray(), Test.Text.Row(row).ToArray())).ToList();
        await Items.UpsertManyAsync(records);
        FirstOutcome = await Encoder.EncodeAsync(records.Select(r => r.Id).ToList());
        // What the trainer does when it starts: searches read the active version's index through the alias.
        await Vectors.SetAliasAsync(ModelCatalog.Alias, Active.IndexName);
    }

    /// <summary>An encoder over this fixture's stores and model, writing to <paramref name="vectors"/> (a fault-injecting store, say).</summary>
    public ItemEncoder NewEncoder(IVectorStore vectors, int batchSize = 256) => new(
        Items, vectors, Catalog, Vectorizer, Metrics, Options.Create(new EncoderOptions { BatchSize = batchSize }), NullLogger<ItemEncoder>.Instance);

    /// <summary>The metrics the fixture's encoders report to.</summary>
    public Ms2GanMetrics Metrics { get; } = new ServiceCollection().AddMs2GanMetrics().BuildServiceProvider().GetRequiredService<Ms2GanMetrics>();

    /// <summary>Registers this fixture's stores, model and services, as a search service's host has them.</summary>
    public IServiceCollection Register(IServiceCollection services) => services
        .AddSingleton<IItemStore>(Items)
        .AddSingleton<IMediaStore>(Media)
        .AddSingleton<IVectorStore>(Vectors)
        .AddSingleton(Catalog)
        .AddSingleton(Vectorizer)
        .AddSingleton(Search);

    public ItemRecord Record(int row, float[]? image, float[]? text, string? id = null) => new()
    {
        Id = id ?? Id(row),
        Labels = [$"class-{Test.Labels[row]}"],
        Metadata = new Dictionary<string, string> { ["parity"] = row % 2 == 0 ? "even" : "odd" },
        ImageFeatures = image,
        TextFeatures = text,
        ContentHash = ItemContentHash.Compute([$"class-{Test.Labels[row]}"], new Dictionary<string, string>(), null, null, image ?? [], text ?? []) + (id ?? ""),
    };

    public Task DisposeAsync()
    {
        Search = null!;
        Backbones.Dispose();
        Catalog.Dispose();
        Vectors.Dispose();
        Items.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }
}
