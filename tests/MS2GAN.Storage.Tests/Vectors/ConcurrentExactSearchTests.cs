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
    public async Task One_pass_for_one_to_eighteen_queries_with_mixed_filters_gives_each_its_brute_force_answer()
    {
        // Every batch size from 1 to 18 (one query alone, panels of 8 and 16 lanes with padding, two panels), deterministically.
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root });
        await store.CreateIndexAsync(new IndexDefinition("one-pass", Dim, Dim, null));
        var records = VectorCorpus.Records(3_000, Dim, Dim, seed: 6);
        await store.UpsertAsync("one-pass", records);
        var random = new Random(9);
        string[] targets = [VectorModalities.Image, VectorModalities.Text, VectorModalities.Any];

        for (var size = 1; size <= 18; size++)
        {
            var queries = Enumerable.Range(0, size).Select(i => new VectorQuery(
                VectorCorpus.RandomVector(random, Dim), VectorCorpus.RandomVector(random, Dim),
                0.5, 0.5, targets[(i + size) % 3], K: 8,
                AnyOfLabels: i % 3 == 2 ? [VectorCorpus.LabelPool[i % 10]] : null)).ToList();

            var answers = store.ScanTogether("one-pass", queries);

            for (var i = 0; i < size; i++)
            {
                var expected = VectorCorpus.BruteForce(records, queries[i]).Take(8);
                Assert.Equal(expected.Select(h => (h.ItemId, h.Modality)), answers[i].Select(h => (h.ItemId, h.Modality)));
            }
        }
    }

    [Fact]
    public async Task A_pass_of_forty_queries_gives_each_exactly_what_it_gets_alone_ties_included()
    {
        // Every third item repeats the vectors of the one before (equal scores, ordered by ItemId then modality), and
        // the queries mix targets, weights, pages and filters; each answer of the blocked pass (panels of queries screened
        // six rows at a time, then scored exactly) must equal the query's pass on its own to the bit.
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root });
        await store.CreateIndexAsync(new IndexDefinition("tiles", Dim, Dim, null));
        var records = VectorCorpus.Records(2_000, Dim, Dim, seed: 21);
        for (var i = 2; i < records.Count; i += 3)
        {
            records[i] = records[i] with { Specific = records[i - 1].Specific, Shared = records[i - 1].Shared };
        }

        await store.UpsertAsync("tiles", records);
        var random = new Random(22);
        string[] targets = [VectorModalities.Image, VectorModalities.Text, VectorModalities.Any];
        var queries = Enumerable.Range(0, 40).Select(i => new VectorQuery(
            VectorCorpus.RandomVector(random, Dim), VectorCorpus.RandomVector(random, Dim),
            (i % 5) * 0.25, 1 - ((i % 5) * 0.2), targets[i % 3], K: 3 + (i % 9), Offset: i % 4 == 0 ? 2 : 0,
            AnyOfLabels: i % 7 == 0 ? [VectorCorpus.LabelPool[i % 10]] : null,
            Metadata: i % 6 == 0 ? new Dictionary<string, string> { ["parity"] = "even" } : null,
            ExcludeItemId: i % 5 == 0 ? records[i].ItemId : null)).ToList();

        var together = store.ScanTogether("tiles", queries);

        for (var i = 0; i < queries.Count; i++)
        {
            var alone = store.ScanTogether("tiles", [queries[i]])[0];
            Assert.Equal(alone.Select(h => (h.ItemId, h.Modality, h.Score)), together[i].Select(h => (h.ItemId, h.Modality, h.Score)));
            var expected = VectorCorpus.BruteForce(records, queries[i]).Skip(queries[i].Offset).Take(queries[i].K);
            Assert.Equal(expected.Select(h => (h.ItemId, h.Modality)), alone.Select(h => (h.ItemId, h.Modality)));
        }
    }

    [Fact]
    public async Task The_batch_api_answers_each_query_as_a_search_of_its_own_does()
    {
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root });
        await store.CreateIndexAsync(new IndexDefinition("batch", Dim, Dim, null));
        await store.UpsertAsync("batch", VectorCorpus.Records(1_500, Dim, Dim, seed: 31));
        var random = new Random(32);
        var queries = Enumerable.Range(0, 70).Select(i => new VectorQuery(
            VectorCorpus.RandomVector(random, Dim), VectorCorpus.RandomVector(random, Dim), 0.7, 0.3,
            i % 2 == 0 ? VectorModalities.Image : VectorModalities.Any, K: 10,
            AnyOfLabels: i % 5 == 0 ? [VectorCorpus.LabelPool[i % 10]] : null)).ToList();

        var batch = await store.SearchBatchAsync("batch", queries);

        Assert.Equal(queries.Count, batch.Count);
        for (var i = 0; i < queries.Count; i++)
        {
            var single = await store.SearchAsync("batch", queries[i]);
            Assert.Equal(single.Select(h => (h.ItemId, h.Modality, h.Score)), batch[i].Select(h => (h.ItemId, h.Modality, h.Score)));
        }
    }

    [Fact]
    public async Task Rows_closer_than_the_screening_margin_are_ranked_by_their_exact_scores_as_a_query_alone_ranks_them()
    {
        // 300 rows a few float steps apart from one vector: their scores differ by less than a panel's margin, so the
        // screening cannot tell them apart and the exact scores of what passes must decide, as they do for a query alone.
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root });
        await store.CreateIndexAsync(new IndexDefinition("near", Dim, Dim, null));
        var random = new Random(41);
        var centre = VectorCorpus.RandomVector(random, Dim);
        var records = VectorCorpus.Records(600, Dim, Dim, seed: 42);
        for (var i = 0; i < 300; i++)
        {
            var specific = (float[])centre.Clone();
            var shared = (float[])centre.Clone();
            specific[i % Dim] = BitIncrement(specific[i % Dim], i / Dim);
            shared[(i * 7) % Dim] = BitIncrement(shared[(i * 7) % Dim], i % 5);
            records[i * 2] = records[i * 2] with { Specific = specific, Shared = shared };
        }

        await store.UpsertAsync("near", records);
        var queries = Enumerable.Range(0, 20).Select(i => new VectorQuery(
            centre, centre, 0.3 + (i * 0.02), 0.7 - (i * 0.02), i % 2 == 0 ? VectorModalities.Image : VectorModalities.Any, K: 5 + i)).ToList();

        var together = store.ScanTogether("near", queries);

        for (var i = 0; i < queries.Count; i++)
        {
            var alone = store.ScanTogether("near", [queries[i]])[0];
            Assert.Equal(alone.Select(h => (h.ItemId, h.Modality, h.Score)), together[i].Select(h => (h.ItemId, h.Modality, h.Score)));
        }
    }

    private static float BitIncrement(float value, int steps)
    {
        for (var s = 0; s < steps; s++)
        {
            value = MathF.BitIncrement(value);
        }

        return value;
    }
}
