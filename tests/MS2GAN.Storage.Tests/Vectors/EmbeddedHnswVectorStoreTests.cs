using MS2GAN.Storage.Vectors;

namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>
/// The conformance suite against the embedded store in HNSW mode with threshold 0, so every search that can use
/// the graph does. HNSW order may legitimately differ from the exact order, so ranking is checked by recall.
/// </summary>
public sealed class EmbeddedHnswVectorStoreTests : VectorStoreConformanceTests, IDisposable
{
    private readonly EmbeddedStoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    protected override Task<IVectorStore> CreateStoreAsync() =>
        Task.FromResult<IVectorStore>(_fixture.Create(Options));

    protected override Task<IVectorStore> ReopenStoreAsync(IVectorStore store) =>
        Task.FromResult<IVectorStore>(_fixture.Reopen(store));

    protected override async Task WaitUntilSearchableAsync(IVectorStore store, string indexOrAlias)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.True(await ((EmbeddedVectorStore)store).WaitForGraphAsync(indexOrAlias, timeout.Token));
    }

    /// <summary>At least 90% of the reference top k, every hit scored exactly, best first.</summary>
    protected override void AssertRanking(IReadOnlyList<ReferenceHit> reference, IReadOnlyList<VectorHit> actual, int k) =>
        RecallRanking.AssertRecall(reference, actual, k, ScoreTolerance);

    [Fact]
    public async Task Recall_at_10_is_at_least_95_percent_on_5000_random_vectors()
    {
        const int dim = 32;
        var store = _fixture.Create(Options);
        await store.CreateIndexAsync(new IndexDefinition("recall", dim, dim, null));
        var random = new Random(21);
        var records = Enumerable.Range(0, 5000)
            .Select(i => new VectorRecord($"r{i:D5}", VectorModalities.Image, VectorCorpus.RandomVector(random, dim), VectorCorpus.RandomVector(random, dim), [], new Dictionary<string, string>()))
            .ToList();
        await store.UpsertAsync("recall", records);
        await WaitUntilSearchableAsync(store, "recall");

        var found = 0;
        const int queries = 100;
        for (var q = 0; q < queries; q++)
        {
            var query = new VectorQuery(VectorCorpus.RandomVector(random, dim), VectorCorpus.RandomVector(random, dim), 0.5, 0.5, VectorModalities.Any, 10);
            var exact = VectorCorpus.BruteForce(records, query).Take(10).Select(h => h.ItemId).ToHashSet();
            found += (await store.SearchAsync("recall", query)).Count(h => exact.Contains(h.ItemId));
        }

        var recall = found / (10.0 * queries);
        Assert.True(recall >= 0.95, $"recall@10 {recall:F3}");
    }

    [Fact]
    public async Task Cross_modal_queries_on_clustered_vectors_with_a_modality_gap_keep_recall_at_10_of_95_percent()
    {
        // Like model vectors: class clusters, and image and text records apart from each other (the modality gap), so
        // a text query's nearest records are texts. Measured: recall@10 1.000 per direction with one graph per
        // modality (0.95 leaves 5 points of margin).
        const int dim = 16;
        var corpus = new ClusteredCorpus(dim, clusters: 10, seed: 31);
        var store = _fixture.Create(Options);
        await store.CreateIndexAsync(new IndexDefinition("gap", dim, dim, null));
        var records = Enumerable.Range(0, 3000).SelectMany(i => corpus.Pair($"p{i:D4}", i % 10)).ToList();
        await store.UpsertAsync("gap", records);
        await WaitUntilSearchableAsync(store, "gap");

        foreach (var (from, target) in new[] { (0, VectorModalities.Image), (1, VectorModalities.Text) })
        {
            var found = 0;
            const int queries = 60;
            for (var q = 0; q < queries; q++)
            {
                var probe = corpus.Pair("query", q % 10)[from];
                var query = new VectorQuery(probe.Specific, probe.Shared, 0.8, 0.2, target, 10);
                var exact = VectorCorpus.BruteForce(records, query).Take(10).Select(h => h.ItemId).ToHashSet();
                found += (await store.SearchAsync("gap", query)).Count(h => exact.Contains(h.ItemId));
            }

            var recall = found / (10.0 * queries);
            Assert.True(recall >= 0.95, $"{target}: recall@10 {recall:F3}");
        }
    }

    [Fact]
    public async Task A_reopened_store_reuses_the_saved_graph_and_catches_up_with_later_writes()
    {
        var (store, index, records) = await SeededAsync(300);
        var root = _fixture.OptionsOf((EmbeddedVectorStore)store).RootDirectory;
        var reopened = _fixture.Reopen(store);
        Assert.True(File.Exists(Path.Combine(root, "indexes", index, "graph.image.usearch")));
        Assert.True(File.Exists(Path.Combine(root, "indexes", index, "graph.text.usearch")));

        var moved = records[0] with { Specific = VectorCorpus.RandomVector(new Random(5), SpecificDim) };
        await reopened.UpsertAsync(index, [moved]);
        var removed = await reopened.DeleteItemAsync(index, records[^1].ItemId);
        await WaitUntilSearchableAsync(reopened, index);

        var hits = await reopened.SearchAsync(index, new VectorQuery(moved.Specific, moved.Shared, 0.5, 0.5, moved.Modality, 1));
        Assert.Equal(moved.ItemId, hits[0].ItemId);
        Assert.Equal(1.0, hits[0].Score, 4);
        Assert.Equal(2, removed);
        Assert.Equal(records.Count - removed, await reopened.CountAsync(index));
    }

    private static EmbeddedVectorStoreOptions Options(string root) =>
        new() { RootDirectory = root, Mode = VectorSearchMode.Hnsw, HnswThreshold = 0 };
}
