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
}
