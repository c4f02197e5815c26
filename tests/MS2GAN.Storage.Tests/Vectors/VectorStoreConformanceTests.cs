using MS2GAN.Storage.Vectors;
using MS2GAN.TestSupport;

namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>
/// Behaviour every <see cref="IVectorStore"/> must have. A concrete class supplies the store; approximate stores
/// override <see cref="AssertRanking"/> with a recall assertion, server-backed ones
/// <see cref="WaitUntilSearchableAsync"/> (a refresh) and <see cref="ReopenStoreAsync"/> (a new client).
/// </summary>
public abstract class VectorStoreConformanceTests
{
    protected const int SpecificDim = 16;
    protected const int SharedDim = 8;
    protected const double ScoreTolerance = 1e-5;

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IVectorStore> CreateStoreAsync();

    /// <summary>The same store after a restart (the embedded store disposes and reopens its folder).</summary>
    protected abstract Task<IVectorStore> ReopenStoreAsync(IVectorStore store);

    /// <summary>Waits until writes are visible to searches the way the store is meant to serve them.</summary>
    protected virtual Task WaitUntilSearchableAsync(IVectorStore store, string indexOrAlias) => Task.CompletedTask;

    /// <summary>A fresh index name (server-backed stores share a server between tests).</summary>
    protected virtual string NewIndexName() => $"idx-{Guid.NewGuid():N}";

    /// <summary>Exact stores return the reference order; scores may differ by float rounding, so near-ties may swap.</summary>
    protected virtual void AssertRanking(IReadOnlyList<ReferenceHit> reference, IReadOnlyList<VectorHit> actual, int k)
    {
        Assert.Equal(Math.Min(k, reference.Count), actual.Count);
        var trueScore = reference.ToDictionary(h => (h.ItemId, h.Modality), h => h.Score);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.InRange(actual[i].Score, reference[i].Score - ScoreTolerance, reference[i].Score + ScoreTolerance);
            Assert.True(trueScore.TryGetValue((actual[i].ItemId, actual[i].Modality), out var score), $"unexpected hit {actual[i].ItemId}");
            Assert.InRange(score, reference[i].Score - ScoreTolerance, reference[i].Score + ScoreTolerance);
        }

        Assert.Equal(actual.Count, actual.Select(h => (h.ItemId, h.Modality)).Distinct().Count());
    }

    [StoreFact]
    public async Task Creates_lists_gets_and_deletes_indexes()
    {
        var store = await CreateStoreAsync();
        var a = new IndexDefinition(NewIndexName(), SpecificDim, SharedDim, "m1");
        var b = new IndexDefinition(NewIndexName(), 32, 4, null);
        await store.CreateIndexAsync(a);
        await store.CreateIndexAsync(b);

        var names = (await store.ListIndexesAsync()).Select(d => d.Name).ToList();
        Assert.Contains(a.Name, names);
        Assert.Contains(b.Name, names);
        Assert.Equal(b, await store.GetIndexAsync(b.Name));

        Assert.True(await store.DeleteIndexAsync(a.Name));
        Assert.False(await store.DeleteIndexAsync(a.Name));
        Assert.DoesNotContain(a.Name, (await store.ListIndexesAsync()).Select(d => d.Name));
        Assert.Null(await store.GetIndexAsync(a.Name));
        await Assert.ThrowsAnyAsync<KeyNotFoundException>(() => store.CountAsync(a.Name));
    }

    [StoreFact]
    public async Task Create_is_idempotent_for_an_identical_definition_and_refuses_other_dims()
    {
        var store = await CreateStoreAsync();
        var definition = new IndexDefinition(NewIndexName(), SpecificDim, SharedDim, "m1");
        await store.CreateIndexAsync(definition);
        await store.UpsertAsync(definition.Name, VectorCorpus.Records(3, SpecificDim, SharedDim, 1));

        await store.CreateIndexAsync(definition);
        Assert.Equal(5, await store.CountAsync(definition.Name));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateIndexAsync(definition with { SharedDim = SharedDim + 1 }));
    }

    [StoreFact]
    public async Task Upsert_then_count_counts_each_modality()
    {
        var (store, index, records) = await SeededAsync(20);
        Assert.Equal(records.Count, await store.CountAsync(index));
        Assert.Equal(37, records.Count);
    }

    [StoreFact]
    public async Task Upsert_replaces_the_record_with_the_same_item_and_modality()
    {
        var (store, index, records) = await SeededAsync(20);
        var target = records.First(r => r.ItemId == "item-0003" && r.Modality == VectorModalities.Text);
        var random = new Random(99);
        var replacement = target with
        {
            Specific = VectorCorpus.RandomVector(random, SpecificDim),
            Shared = VectorCorpus.RandomVector(random, SharedDim),
            Labels = ["replaced"],
        };
        await store.UpsertAsync(index, [replacement]);
        await WaitUntilSearchableAsync(store, index);

        Assert.Equal(records.Count, await store.CountAsync(index));
        var hits = await store.SearchAsync(index, new VectorQuery(replacement.Specific, replacement.Shared, 0.5, 0.5, VectorModalities.Text, 1));
        Assert.Equal("item-0003", hits[0].ItemId);
        Assert.Equal(1.0, hits[0].Score, 4);
        Assert.Equal(new[] { "replaced" }, hits[0].Labels);
    }

    [StoreFact]
    public async Task Delete_item_removes_both_modalities()
    {
        var (store, index, records) = await SeededAsync(20);
        Assert.Equal(2, await store.DeleteItemAsync(index, "item-0005"));
        Assert.Equal(0, await store.DeleteItemAsync(index, "item-0005"));
        await WaitUntilSearchableAsync(store, index);

        Assert.Equal(records.Count - 2, await store.CountAsync(index));
        var deleted = records.First(r => r.ItemId == "item-0005");
        var hits = await store.SearchAsync(index, new VectorQuery(deleted.Specific, deleted.Shared, 1, 1, VectorModalities.Any, 100));
        Assert.DoesNotContain(hits, h => h.ItemId == "item-0005");
        Assert.Equal(records.Count - 2, hits.Count);
    }

    [StoreTheory]
    [InlineData(VectorModalities.Image, 0.5, 0.5)]
    [InlineData(VectorModalities.Text, 0.5, 0.5)]
    [InlineData(VectorModalities.Any, 0.5, 0.5)]
    [InlineData(VectorModalities.Image, 1.0, 0.0)]
    [InlineData(VectorModalities.Text, 0.0, 1.0)]
    [InlineData(VectorModalities.Any, 0.2, 0.8)]
    public async Task Search_ranks_like_a_brute_force_reference(string target, double specificWeight, double sharedWeight)
    {
        var (store, index, records) = await SeededAsync(1000);
        var random = new Random(7);
        for (var q = 0; q < 5; q++)
        {
            var query = new VectorQuery(
                VectorCorpus.RandomVector(random, SpecificDim), VectorCorpus.RandomVector(random, SharedDim),
                specificWeight, sharedWeight, target, 10);
            var actual = await store.SearchAsync(index, query);
            AssertRanking(VectorCorpus.BruteForce(records, query), actual, query.K);
            Assert.All(actual, h => Assert.True(target == VectorModalities.Any || h.Modality == target));
        }
    }

    [StoreFact]
    public async Task Label_filter_is_applied_before_top_k()
    {
        var (store, index, records) = await SeededAsync(1000);
        var random = new Random(8);
        var query = new VectorQuery(
            VectorCorpus.RandomVector(random, SpecificDim), VectorCorpus.RandomVector(random, SharedDim),
            0.5, 0.5, VectorModalities.Any, 10, AnyOfLabels: ["l3", "l7"]);
        var actual = await store.SearchAsync(index, query);

        Assert.Equal(10, actual.Count);
        Assert.All(actual, h => Assert.True(h.Labels.Contains("l3") || h.Labels.Contains("l7")));
        AssertRanking(VectorCorpus.BruteForce(records, query), actual, query.K);
    }

    [StoreFact]
    public async Task A_filter_matching_3_of_1000_items_returns_those_3()
    {
        var (store, index, records) = await SeededAsync(1000);
        var rare = new Dictionary<string, string> { ["source"] = "rare" };
        var chosen = new[] { "item-0100", "item-0500", "item-0900" };
        await store.UpsertAsync(index, [.. records.Where(r => chosen.Contains(r.ItemId) && r.Modality == VectorModalities.Image).Select(r => r with { Metadata = rare })]);
        await WaitUntilSearchableAsync(store, index);

        var random = new Random(9);
        var query = new VectorQuery(
            VectorCorpus.RandomVector(random, SpecificDim), VectorCorpus.RandomVector(random, SharedDim),
            0.5, 0.5, VectorModalities.Any, 10, Metadata: rare);
        var actual = await store.SearchAsync(index, query);

        Assert.Equal(chosen, actual.Select(h => h.ItemId).Order(StringComparer.Ordinal));
        Assert.All(actual, h => Assert.Equal("rare", h.Metadata["source"]));
    }

    [StoreFact]
    public async Task Metadata_filters_match_every_pair_exactly()
    {
        var (store, index, records) = await SeededAsync(1000);
        var random = new Random(10);
        var filter = new Dictionary<string, string> { ["source"] = "s2", ["parity"] = "even" };
        var query = new VectorQuery(
            VectorCorpus.RandomVector(random, SpecificDim), VectorCorpus.RandomVector(random, SharedDim),
            0.5, 0.5, VectorModalities.Text, 10, Metadata: filter);
        var actual = await store.SearchAsync(index, query);

        Assert.Equal(10, actual.Count);
        Assert.All(actual, h => Assert.True(h.Metadata["source"] == "s2" && h.Metadata["parity"] == "even"));
        AssertRanking(VectorCorpus.BruteForce(records, query), actual, query.K);
    }

    [StoreFact]
    public async Task Auto_label_filter_returns_only_records_of_that_label_at_or_above_the_confidence_also_after_a_reopen()
    {
        var (store, index, records) = await SeededAsync(600);
        // Every other item gets an auto-label: one of three, with confidences 0.05 to 0.95 in steps of 0.1.
        var labelled = records
            .Select(r => int.Parse(r.ItemId["item-".Length..], System.Globalization.CultureInfo.InvariantCulture) is var n && n % 2 == 0
                ? r with { AutoLabel = new MS2GAN.Storage.AutoLabel($"a{n % 3}", 0.05 + (n / 2 % 10 / 10.0)) }
                : r)
            .ToList();
        await store.UpsertAsync(index, labelled);
        await WaitUntilSearchableAsync(store, index);
        var random = new Random(16);
        var query = new VectorQuery(
            VectorCorpus.RandomVector(random, SpecificDim), VectorCorpus.RandomVector(random, SharedDim),
            0.5, 0.5, VectorModalities.Any, 40, AutoLabel: "a1", MinAutoLabelConfidence: 0.6);
        var matching = labelled.Where(r => r.AutoLabel is { Label: "a1", Confidence: >= 0.6 }).ToList();
        Assert.True(matching.Count > query.K);

        for (var pass = 0; pass < 2; pass++)
        {
            var current = pass == 0 ? store : await ReopenStoreAsync(store);
            await WaitUntilSearchableAsync(current, index);
            var actual = await current.SearchAsync(index, query);

            Assert.Equal(query.K, actual.Count);
            Assert.All(actual, h => Assert.True(h.AutoLabel is { Label: "a1" } a && a.Confidence >= 0.6 - 1e-6, $"{h.ItemId}: {h.AutoLabel}"));
            AssertRanking(VectorCorpus.BruteForce(matching, query with { AutoLabel = null, MinAutoLabelConfidence = 0 }), actual, query.K);
        }
    }

    [StoreFact]
    public async Task Excluded_item_is_never_returned()
    {
        var (store, index, records) = await SeededAsync(50);
        var self = records.First(r => r.ItemId == "item-0010");
        var actual = await store.SearchAsync(index, new VectorQuery(self.Specific, self.Shared, 0.5, 0.5, VectorModalities.Any, 5, ExcludeItemId: "item-0010"));
        Assert.Equal(5, actual.Count);
        Assert.DoesNotContain(actual, h => h.ItemId == "item-0010");
    }

    [StoreFact]
    public async Task Second_page_equals_items_k_to_2k_of_one_big_query()
    {
        var (store, index, _) = await SeededAsync(1000);
        var random = new Random(11);
        var big = new VectorQuery(
            VectorCorpus.RandomVector(random, SpecificDim), VectorCorpus.RandomVector(random, SharedDim),
            0.5, 0.5, VectorModalities.Any, 20);
        var all = await store.SearchAsync(index, big);
        var page2 = await store.SearchAsync(index, big with { K = 10, Offset = 10 });

        Assert.Equal(all.Skip(10).Select(h => (h.ItemId, h.Modality)), page2.Select(h => (h.ItemId, h.Modality)));
    }

    [StoreFact]
    public async Task K_larger_than_the_index_returns_every_matching_record()
    {
        var (store, index, records) = await SeededAsync(10);
        var random = new Random(12);
        var query = new VectorQuery(
            VectorCorpus.RandomVector(random, SpecificDim), VectorCorpus.RandomVector(random, SharedDim),
            0.5, 0.5, VectorModalities.Image, 50);
        var actual = await store.SearchAsync(index, query);

        Assert.Equal(10, actual.Count);
        AssertRanking(VectorCorpus.BruteForce(records, query), actual, query.K);
        var past = await store.SearchAsync(index, query with { Offset = 20, K = 5 });
        Assert.Empty(past);
    }

    [StoreFact]
    public async Task Equal_scores_are_ordered_by_item_id_then_modality()
    {
        var store = await CreateStoreAsync();
        var index = NewIndexName();
        await store.CreateIndexAsync(new IndexDefinition(index, SpecificDim, SharedDim, null));
        var random = new Random(13);
        var s = VectorCorpus.RandomVector(random, SpecificDim);
        var c = VectorCorpus.RandomVector(random, SharedDim);
        var ids = new[] { "b", "a", "c", "B", "a1" };
        var records = ids.SelectMany(id => new[]
        {
            new VectorRecord(id, VectorModalities.Text, s, c, [], new Dictionary<string, string>()),
            new VectorRecord(id, VectorModalities.Image, s, c, [], new Dictionary<string, string>()),
        }).ToList();
        await store.UpsertAsync(index, records);
        await WaitUntilSearchableAsync(store, index);

        var hits = await store.SearchAsync(index, new VectorQuery(s, c, 0.5, 0.5, VectorModalities.Any, 10));
        var expected = ids.Order(StringComparer.Ordinal).SelectMany(id => new[] { (id, "image"), (id, "text") });
        Assert.Equal(expected, hits.Select(h => (h.ItemId, h.Modality)));
        var again = await store.SearchAsync(index, new VectorQuery(s, c, 0.5, 0.5, VectorModalities.Any, 10));
        Assert.Equal(hits.Select(h => (h.ItemId, h.Modality)), again.Select(h => (h.ItemId, h.Modality)));
    }

    [StoreFact]
    public async Task Wrong_dimensions_and_nan_are_refused_naming_the_item()
    {
        var (store, index, records) = await SeededAsync(5);
        var good = records[0];
        var shortVector = good with { ItemId = "too-short", Specific = new float[SpecificDim - 1] };
        var nan = good with { ItemId = "has-nan", Shared = [.. good.Shared.Select((v, i) => i == 2 ? float.NaN : v)] };
        var badModality = good with { ItemId = "bad-modality", Modality = "audio" };

        Assert.Contains("too-short", (await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync(index, [shortVector]))).Message);
        Assert.Contains("has-nan", (await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync(index, [good with { ItemId = "fine" }, nan]))).Message);
        Assert.Contains("bad-modality", (await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync(index, [badModality]))).Message);
        Assert.Equal(records.Count, await store.CountAsync(index));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(index, new VectorQuery(new float[3], good.Shared, 0.5, 0.5, VectorModalities.Any, 3)));
    }

    [StoreFact]
    public async Task Alias_swap_is_atomic_for_concurrent_searches()
    {
        var store = await CreateStoreAsync();
        var (a, b, alias) = (NewIndexName(), NewIndexName(), NewIndexName());
        foreach (var (name, prefix) in new[] { (a, "a-"), (b, "b-") })
        {
            await store.CreateIndexAsync(new IndexDefinition(name, SpecificDim, SharedDim, prefix));
            await store.UpsertAsync(name, VectorCorpus.Records(50, SpecificDim, SharedDim, prefix.Length + name.Length, prefix));
            await WaitUntilSearchableAsync(store, name);
        }

        await store.SetAliasAsync(alias, a);
        Assert.Equal(a, await store.GetAliasAsync(alias));
        Assert.Null(await store.GetAliasAsync("no-such-alias"));

        using var stop = new CancellationTokenSource();
        var random = new Random(14);
        var query = new VectorQuery(VectorCorpus.RandomVector(random, SpecificDim), VectorCorpus.RandomVector(random, SharedDim), 0.5, 0.5, VectorModalities.Any, 20);
        var seen = new HashSet<char>();
        var searchers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var count = 0;
            while (!stop.IsCancellationRequested || count == 0)
            {
                var hits = await store.SearchAsync(alias, query);
                Assert.Equal(20, hits.Count);
                var prefixes = hits.Select(h => h.ItemId[0]).Distinct().ToList();
                Assert.Single(prefixes);
                lock (seen)
                {
                    seen.Add(prefixes[0]);
                }

                count++;
            }
        })).ToList();

        for (var i = 0; i < 20; i++)
        {
            await store.SetAliasAsync(alias, i % 2 == 0 ? b : a);
            await Task.Delay(1);
        }

        stop.Cancel();
        await Task.WhenAll(searchers);
        Assert.Equal(a, await store.GetAliasAsync(alias));
        Assert.Equal(a, (await store.GetIndexAsync(alias))?.Name);
        Assert.Contains('a', seen);
    }

    [StoreFact]
    public async Task Reopening_keeps_indexes_records_and_aliases()
    {
        var (store, index, records) = await SeededAsync(300);
        await store.DeleteItemAsync(index, "item-0001");
        var alias = NewIndexName();
        await store.SetAliasAsync(alias, index);
        var random = new Random(15);
        var query = new VectorQuery(VectorCorpus.RandomVector(random, SpecificDim), VectorCorpus.RandomVector(random, SharedDim), 0.3, 0.7, VectorModalities.Any, 10);
        var before = await store.SearchAsync(alias, query);

        var reopened = await ReopenStoreAsync(store);
        await WaitUntilSearchableAsync(reopened, index);

        Assert.Equal(index, await reopened.GetAliasAsync(alias));
        Assert.Equal(new IndexDefinition(index, SpecificDim, SharedDim, "m1"), await reopened.GetIndexAsync(index));
        Assert.Equal(records.Count - 2, await reopened.CountAsync(alias));
        var after = await reopened.SearchAsync(alias, query);
        Assert.Equal(before, after, (x, y) => x.ItemId == y.ItemId && x.Modality == y.Modality && Math.Abs(x.Score - y.Score) < 1e-9
            && x.Labels.SequenceEqual(y.Labels) && x.Metadata.Count == y.Metadata.Count && !x.Metadata.Except(y.Metadata).Any());
    }

    /// <summary>A store with one index holding <paramref name="items"/> items of <see cref="VectorCorpus.Records"/>.</summary>
    protected async Task<(IVectorStore Store, string Index, List<VectorRecord> Records)> SeededAsync(int items)
    {
        var store = await CreateStoreAsync();
        var index = NewIndexName();
        await store.CreateIndexAsync(new IndexDefinition(index, SpecificDim, SharedDim, "m1"));
        var records = VectorCorpus.Records(items, SpecificDim, SharedDim, items);
        foreach (var batch in records.Chunk(500))
        {
            await store.UpsertAsync(index, batch);
        }

        await WaitUntilSearchableAsync(store, index);
        return (store, index, records);
    }
}
