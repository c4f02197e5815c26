using MS2GAN.Storage;
using MS2GAN.Storage.Items;
using MS2GAN.TestSupport;

namespace MS2GAN.Storage.Tests.Items;

/// <summary>
/// Behaviour every <see cref="IItemStore"/> must have. The SQLite store runs it always; the Elasticsearch items
/// index runs it against a live server when ELASTICSEARCH_URL is set (skipped, saying why, otherwise).
/// </summary>
public abstract class ItemStoreConformanceTests
{
    /// <summary>The store under test, on <see cref="Clock"/>.</summary>
    protected abstract IItemStore Store { get; }

    protected ManualClock Clock { get; } = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [StoreFact]
    public async Task Creates_then_leaves_unchanged_then_replaces_an_item()
    {
        Assert.Equal(UpsertOutcome.Created, await Store.UpsertAsync(Item("a", "hash-1")));
        Assert.Equal(UpsertOutcome.Unchanged, await Store.UpsertAsync(Item("a", "hash-1") with { Text = "ignored: same hash" }));
        Assert.Equal("text of a", (await Store.GetAsync("a"))!.Text);

        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(UpsertOutcome.Replaced, await Store.UpsertAsync(Item("a", "hash-2") with { Text = "new text" }));

        var stored = await Store.GetAsync("a");
        Assert.NotNull(stored);
        Assert.Equal("new text", stored.Text);
        Assert.Equal("hash-2", stored.ContentHash);
        Assert.Equal(Clock.Start, stored.CreatedAt);
        Assert.Equal(Clock.Start.AddMinutes(5), stored.UpdatedAt);
    }

    [StoreFact]
    public async Task Same_content_keeps_the_state_and_new_content_resets_it_to_ingested()
    {
        await Store.UpsertAsync(Item("a", "hash-1"));
        await Store.MarkIndexedAsync(["a"], "model-1");

        await Store.UpsertAsync(Item("a", "hash-1"));
        var afterSame = await Store.GetAsync("a");
        Assert.Equal((ItemState.Indexed, "model-1"), (afterSame!.State, afterSame.ModelVersion));

        await Store.MarkFailedAsync("a", "image does not decode");
        await Store.UpsertAsync(Item("a", "hash-2"));
        var afterNew = await Store.GetAsync("a");
        Assert.Equal(ItemState.Ingested, afterNew!.State);
        Assert.Null(afterNew.FailureReason);
        Assert.Null(afterNew.ModelVersion);
    }

    [StoreFact]
    public async Task Ignores_the_state_an_upserted_record_claims()
    {
        await Store.UpsertAsync(Item("a", "h") with { State = ItemState.Indexed, ModelVersion = "m", FailureReason = "x" });

        var stored = await Store.GetAsync("a");
        Assert.Equal(ItemState.Ingested, stored!.State);
        Assert.Null(stored.ModelVersion);
        Assert.Null(stored.FailureReason);
    }

    [StoreFact]
    public async Task Round_trips_every_field_and_features_bit_exactly()
    {
        float[] image = [1.5f, -0f, float.Epsilon, float.MaxValue, float.NaN, BitConverter.Int32BitsToSingle(0x7FC00001), 3.1415927f];
        float[] text = [0.1f, 1e-30f, -2.5e30f];
        var item = Item("wiki:1", "h") with
        {
            Labels = ["art", "history", "g\u00e9ographie"],
            Metadata = new Dictionary<string, string> { ["source"] = "wiki", ["quote"] = "\"x\"\n" },
            Text = "na\u00efve caf\u00e9 \U0001F600",
            ImageMediaRef = "ab/" + new string('a', 64) + ".png",
            ImageContentType = "image/png",
            ImageFeatures = image,
            TextFeatures = text,
            ImageFeatureSpace = "sift-bow-128",
            TextFeatureSpace = "lda-10",
        };

        await Store.UpsertAsync(item);
        var stored = await Store.GetAsync("wiki:1");

        Assert.NotNull(stored);
        Assert.Equal(item.Labels, stored.Labels);
        Assert.Equal(item.Metadata.OrderBy(p => p.Key), stored.Metadata.OrderBy(p => p.Key));
        Assert.Equal(item.Text, stored.Text);
        Assert.Equal(item.ImageMediaRef, stored.ImageMediaRef);
        Assert.Equal(item.ImageContentType, stored.ImageContentType);
        Assert.Equal(item.ImageFeatureSpace, stored.ImageFeatureSpace);
        Assert.Equal(item.TextFeatureSpace, stored.TextFeatureSpace);
        Assert.Equal(Bits(image), Bits(stored.ImageFeatures!));
        Assert.Equal(Bits(text), Bits(stored.TextFeatures!));
    }

    [StoreFact]
    public async Task Upserts_a_batch_in_one_transaction_with_an_outcome_per_item()
    {
        await Store.UpsertAsync(Item("b", "hash-b"));
        await Store.UpsertAsync(Item("c", "hash-c"));

        var outcomes = await Store.UpsertManyAsync([Item("a", "hash-a"), Item("b", "hash-b"), Item("c", "changed"), Item("a", "hash-a")]);

        Assert.Equal([UpsertOutcome.Created, UpsertOutcome.Unchanged, UpsertOutcome.Replaced, UpsertOutcome.Unchanged], outcomes);
    }

    [StoreFact]
    public async Task A_batch_with_an_invalid_itemStores_none_of_it()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => Store.UpsertManyAsync([Item("ok", "h"), Item("../bad", "h")]));

        Assert.Contains("'.'", exception.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetAsync("ok"));
    }

    [StoreFact]
    public async Task Gets_many_in_the_order_asked_skipping_unknown_ids_and_duplicates()
    {
        await Store.UpsertManyAsync([Item("a", "h"), Item("b", "h"), Item("c", "h")]);

        var found = await Store.GetManyAsync(["c", "missing", "a", "c"]);

        Assert.Equal(["c", "a"], found.Select(item => item.Id));
        Assert.Null(await Store.GetAsync("missing"));
    }

    [StoreFact]
    public async Task Gets_more_ids_than_fit_in_one_query()
    {
        var items = Enumerable.Range(0, 1_200).Select(i => Item($"i{i:D5}", "h")).ToList();
        await Store.UpsertManyAsync(items);

        var found = await Store.GetManyAsync(items.Select(item => item.Id).Reverse());

        Assert.Equal(items.Select(item => item.Id).Reverse(), found.Select(item => item.Id));
    }

    [StoreFact]
    public async Task Deletes_an_item_once()
    {
        await Store.UpsertAsync(Item("a", "h"));

        Assert.True(await Store.DeleteAsync("a"));
        Assert.False(await Store.DeleteAsync("a"));
        Assert.Null(await Store.GetAsync("a"));
        Assert.Equal(UpsertOutcome.Created, await Store.UpsertAsync(Item("a", "h")));
    }

    [StoreFact]
    public async Task Marks_items_indexed_and_failed_and_counts_them_by_state()
    {
        await Store.UpsertManyAsync([Item("a", "h"), Item("b", "h"), Item("c", "h"), Item("d", "h")]);

        Assert.Equal(2, await Store.MarkIndexedAsync(["a", "b", "unknown"], "model-7"));
        Assert.True(await Store.MarkFailedAsync("c", "features of the wrong length"));
        Assert.False(await Store.MarkFailedAsync("unknown", "x"));

        var counts = await Store.CountByStateAsync();
        Assert.Equal(1, counts[ItemState.Ingested]);
        Assert.Equal(2, counts[ItemState.Indexed]);
        Assert.Equal(1, counts[ItemState.Failed]);
        var failed = await Store.GetAsync("c");
        Assert.Equal((ItemState.Failed, "features of the wrong length"), (failed!.State, failed.FailureReason));
        Assert.Equal("model-7", (await Store.GetAsync("a"))!.ModelVersion);

        // A failed item indexed later is no longer failed.
        await Store.MarkIndexedAsync(["c"], "model-8");
        var recovered = await Store.GetAsync("c");
        Assert.Equal((ItemState.Indexed, null, "model-8"), (recovered!.State, recovered.FailureReason, recovered.ModelVersion));
    }

    [StoreFact]
    public async Task Auto_labels_are_recorded_replaced_cleared_and_dropped_with_new_content_or_a_failure()
    {
        await Store.UpsertManyAsync([Item("a", "h"), Item("b", "h"), Item("c", "h")]);
        var before = (await Store.GetAsync("a"))!;

        Assert.Equal(2, await Store.SetAutoLabelsAsync(["a", "b", "unknown"], new Dictionary<string, AutoLabel> { ["a"] = new("cat", 0.75) }));

        var a = (await Store.GetAsync("a"))!;
        Assert.Equal(new AutoLabel("cat", 0.75), a.AutoLabel);
        Assert.Equal((before.State, before.UpdatedAt), (a.State, a.UpdatedAt));
        Assert.Null((await Store.GetAsync("b"))!.AutoLabel);
        Assert.Equal(UpsertOutcome.Unchanged, await Store.UpsertAsync(Item("a", "h") with { AutoLabel = new("claimed", 1) }));
        Assert.Equal(new AutoLabel("cat", 0.75), (await Store.GetAsync("a"))!.AutoLabel);

        // Another model's encoding replaces the label, or clears it when it predicts none.
        await Store.SetAutoLabelsAsync(["a", "c"], new Dictionary<string, AutoLabel> { ["c"] = new("dog", 0.5) });
        Assert.Null((await Store.GetAsync("a"))!.AutoLabel);
        Assert.Equal(new AutoLabel("dog", 0.5), (await Store.GetAsync("c"))!.AutoLabel);

        // New content or a failure: no model's label stands for the item any more.
        await Store.SetAutoLabelsAsync(["a", "b"], new Dictionary<string, AutoLabel> { ["a"] = new("cat", 0.9), ["b"] = new("cat", 0.9) });
        await Store.UpsertAsync(Item("a", "h2"));
        Assert.True(await Store.MarkFailedAsync("b", "unreadable image"));
        Assert.Null((await Store.GetAsync("a"))!.AutoLabel);
        Assert.Null((await Store.GetAsync("b"))!.AutoLabel);
    }

    [StoreFact]
    public async Task Counts_every_state_even_when_theStore_is_empty()
    {
        var counts = await Store.CountByStateAsync();

        Assert.Equal(Enum.GetValues<ItemState>(), counts.Keys.Order());
        Assert.All(counts.Values, count => Assert.Equal(0, count));
    }

    [StoreFact]
    public async Task Counts_labelled_items_and_each_label_leaving_out_failed_items()
    {
        await Store.UpsertManyAsync([
            Item("a", "h") with { Labels = ["cat", "pet"] },
            Item("b", "h") with { Labels = ["cat"] },
            Item("c", "h") with { Labels = [] },
            Item("d", "h") with { Labels = ["dog"] },
        ]);
        Assert.True(await Store.MarkFailedAsync("d", "unreadable image"));

        var counts = await Store.CountLabelsAsync();

        Assert.Equal(2, counts.LabelledItems);
        Assert.Equal(new Dictionary<string, long> { ["cat"] = 2, ["pet"] = 1 }, counts.ByLabel.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    [StoreFact]
    public async Task Content_hashes_are_read_for_the_items_that_exist()
    {
        await Store.UpsertManyAsync([Item("a", "hash-a"), Item("b", "hash-b")]);
        await Store.UpsertAsync(Item("b", "hash-b2"));

        var hashes = await Store.GetContentHashesAsync(["b", "missing", "a", "b"]);

        Assert.Equal(2, hashes.Count);
        Assert.Equal("hash-a", hashes["a"]);
        Assert.Equal("hash-b2", hashes["b"]);
        Assert.Empty(await Store.GetContentHashesAsync([]));
    }

    [StoreFact]
    public async Task Lists_ids_page_by_page_in_ordinal_order()
    {
        string[] ids = ["b", "B", "a-1", "a", "a:2", "Z", "0", "a.0"];
        await Store.UpsertManyAsync([.. ids.Select(id => Item(id, "h"))]);

        var pages = new List<IReadOnlyList<string>>();
        string? after = null;
        while (true)
        {
            var page = await Store.ListIdsAsync(after, 3);
            if (page.Count == 0)
            {
                break;
            }
            pages.Add(page);
            after = page[^1];
        }

        Assert.Equal([3, 3, 2], pages.Select(page => page.Count));
        Assert.Equal(ids.Order(StringComparer.Ordinal), pages.SelectMany(page => page));
    }

    [StoreFact]
    public async Task Lists_items_of_one_state_after_a_given_id()
    {
        await Store.UpsertManyAsync([Item("a", "h"), Item("b", "h"), Item("c", "h"), Item("d", "h")]);
        await Store.MarkIndexedAsync(["b", "d"], "m");

        Assert.Equal(["a", "c"], (await Store.ListAsync(ItemState.Ingested, null, 10)).Select(item => item.Id));
        Assert.Equal(["d"], (await Store.ListAsync(ItemState.Indexed, "b", 10)).Select(item => item.Id));
        Assert.Equal(["c", "d"], (await Store.ListAsync(null, "b", 10)).Select(item => item.Id));
        Assert.Equal(["a"], (await Store.ListAsync(null, null, 1)).Select(item => item.Id));
    }

    [StoreFact]
    public async Task Caches_features_unless_the_content_was_replaced_meanwhile()
    {
        await Store.UpsertAsync(Item("a", "hash-1") with { Text = "t", TextFeatures = null });

        Assert.True(await Store.SetCachedFeaturesAsync("a", "hash-1", [1f, 2f], "resnet18-512", null, null));
        Assert.True(await Store.SetCachedFeaturesAsync("a", "hash-1", null, null, [3f], "minilm-384"));
        var cached = await Store.GetAsync("a");
        Assert.Equal([1f, 2f], cached!.ImageFeatures!);
        Assert.Equal("resnet18-512", cached.ImageFeatureSpace);
        Assert.Equal([3f], cached.TextFeatures!);
        Assert.Equal("minilm-384", cached.TextFeatureSpace);
        Assert.Equal("hash-1", cached.ContentHash);

        await Store.UpsertAsync(Item("a", "hash-2"));
        Assert.False(await Store.SetCachedFeaturesAsync("a", "hash-1", [9f], "resnet18-512", null, null));
        Assert.False(await Store.SetCachedFeaturesAsync("gone", "hash-1", [9f], "resnet18-512", null, null));
        Assert.Null((await Store.GetAsync("a"))!.ImageFeatures);
    }

    [StoreFact]
    public async Task Refuses_invalid_items_and_arguments()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UpsertAsync(Item("a/b", "h")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UpsertAsync(Item(new string('x', 129), "h")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UpsertAsync(Item("a", "")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListIdsAsync(null, 0));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.MarkIndexedAsync(["a"], " "));
    }

    protected static ItemRecord Item(string id, string contentHash) => new()
    {
        Id = id,
        Labels = ["label"],
        Metadata = new Dictionary<string, string> { ["k"] = "v" },
        Text = $"text of {id}",
        TextFeatures = [0.5f, 1.5f],
        TextFeatureSpace = "lda-10",
        ContentHash = contentHash,
    };

    protected static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    protected sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public DateTimeOffset Start { get; } = start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
