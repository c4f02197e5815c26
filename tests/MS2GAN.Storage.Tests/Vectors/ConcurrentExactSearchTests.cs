using MS2GAN.Storage.Vectors;

namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>Exact searches that arrive together share one scan; each must still get exactly its own answer.</summary>
public sealed class ConcurrentExactSearchTests : IDisposable
{
    private const int Dim = 16;
    private readonly EmbeddedStoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Concurrent_searches_with_different_targets_filters_and_weights_each_get_the_brute_force_answer()
    {
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root });
        await store.CreateIndexAsync(new IndexDefinition("shared-scan", Dim, Dim, null));
        // Enough rows that the scan is split across partitions and takes long enough for queries to pile up.
        var records = VectorCorpus.Records(20_000, Dim, Dim, seed: 5);
        await store.UpsertAsync("shared-scan", records);

        var random = new Random(8);
        string[] targets = [VectorModalities.Image, VectorModalities.Text, VectorModalities.Any];
        var queries = Enumerable.Range(0, 48).Select(i => new VectorQuery(
            VectorCorpus.RandomVector(random, Dim),
            VectorCorpus.RandomVector(random, Dim),
            SpecificWeight: (i % 4) * 0.25,
            SharedWeight: 1 - ((i % 4) * 0.25),
            Target: targets[i % 3],
            K: 5 + (i % 7),
            Offset: i % 5 == 0 ? 3 : 0,
            AnyOfLabels: i % 6 == 0 ? [VectorCorpus.LabelPool[i % 10]] : null,
            Metadata: i % 8 == 0 ? new Dictionary<string, string> { ["parity"] = "odd" } : null)).ToList();

        var answers = await Task.WhenAll(queries.Select(query => Task.Run(() => store.SearchAsync("shared-scan", query))));

        for (var i = 0; i < queries.Count; i++)
        {
            var expected = VectorCorpus.BruteForce(records, queries[i]).Skip(queries[i].Offset).Take(queries[i].K).ToList();
            Assert.Equal(expected.Select(h => (h.ItemId, h.Modality)), answers[i].Select(h => (h.ItemId, h.Modality)));
            Assert.All(expected.Zip(answers[i]), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 4));
        }
    }

    [Fact]
    public async Task One_pass_for_one_to_nine_queries_with_mixed_filters_gives_each_its_brute_force_answer()
    {
        // Every batch size from 1 to 9 (groups of four plus remainders of one to three), deterministically.
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root });
        await store.CreateIndexAsync(new IndexDefinition("one-pass", Dim, Dim, null));
        var records = VectorCorpus.Records(3_000, Dim, Dim, seed: 6);
        await store.UpsertAsync("one-pass", records);
        var random = new Random(9);
        string[] targets = [VectorModalities.Image, VectorModalities.Text, VectorModalities.Any];

        for (var size = 1; size <= 9; size++)
        {
            var queries = Enumerable.Range(0, size).Select(i => new VectorQuery(
                VectorCorpus.RandomVector(random, Dim), VectorCorpus.RandomVector(random, Dim),
                0.5, 0.5, targets[(i + size) % 3], K: 8,
                AnyOfLabels: i % 3 == 2 ? [VectorCorpus.LabelPool[i]] : null)).ToList();

            var answers = store.ScanTogether("one-pass", queries);

            for (var i = 0; i < size; i++)
            {
                var expected = VectorCorpus.BruteForce(records, queries[i]).Take(8);
                Assert.Equal(expected.Select(h => (h.ItemId, h.Modality)), answers[i].Select(h => (h.ItemId, h.Modality)));
            }
        }
    }
}
