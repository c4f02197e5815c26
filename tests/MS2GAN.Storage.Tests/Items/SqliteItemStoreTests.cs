using Microsoft.Data.Sqlite;
using MS2GAN.Storage.Items;

namespace MS2GAN.Storage.Tests.Items;

public sealed class SqliteItemStoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ms2gan-items-");
    private readonly ManualClock _clock = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteItemStore _store;

    public SqliteItemStoreTests() => _store = new SqliteItemStore(DatabasePath, _clock);

    private string DatabasePath => Path.Combine(_folder.FullName, "items.db");

    public void Dispose()
    {
        _store.Dispose();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Creates_then_leaves_unchanged_then_replaces_an_item()
    {
        Assert.Equal(UpsertOutcome.Created, await _store.UpsertAsync(Item("a", "hash-1")));
        Assert.Equal(UpsertOutcome.Unchanged, await _store.UpsertAsync(Item("a", "hash-1") with { Text = "ignored: same hash" }));
        Assert.Equal("text of a", (await _store.GetAsync("a"))!.Text);

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(UpsertOutcome.Replaced, await _store.UpsertAsync(Item("a", "hash-2") with { Text = "new text" }));

        var stored = await _store.GetAsync("a");
        Assert.NotNull(stored);
        Assert.Equal("new text", stored.Text);
        Assert.Equal("hash-2", stored.ContentHash);
        Assert.Equal(_clock.Start, stored.CreatedAt);
        Assert.Equal(_clock.Start.AddMinutes(5), stored.UpdatedAt);
    }

    [Fact]
    public async Task Same_content_keeps_the_state_and_new_content_resets_it_to_ingested()
    {
        await _store.UpsertAsync(Item("a", "hash-1"));
        await _store.MarkIndexedAsync(["a"], "model-1");

        await _store.UpsertAsync(Item("a", "hash-1"));
        var afterSame = await _store.GetAsync("a");
        Assert.Equal((ItemState.Indexed, "model-1"), (afterSame!.State, afterSame.ModelVersion));

        await _store.MarkFailedAsync("a", "image does not decode");
        await _store.UpsertAsync(Item("a", "hash-2"));
        var afterNew = await _store.GetAsync("a");
        Assert.Equal(ItemState.Ingested, afterNew!.State);
        Assert.Null(afterNew.FailureReason);
        Assert.Null(afterNew.ModelVersion);
    }

    [Fact]
    public async Task Ignores_the_state_an_upserted_record_claims()
    {
        await _store.UpsertAsync(Item("a", "h") with { State = ItemState.Indexed, ModelVersion = "m", FailureReason = "x" });

        var stored = await _store.GetAsync("a");
        Assert.Equal(ItemState.Ingested, stored!.State);
        Assert.Null(stored.ModelVersion);
        Assert.Null(stored.FailureReason);
    }

    [Fact]
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

        await _store.UpsertAsync(item);
        var stored = await _store.GetAsync("wiki:1");

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

    [Fact]
    public async Task Stores_features_as_little_endian_float32_blobs()
    {
        await _store.UpsertAsync(Item("a", "h") with { ImageFeatures = [1f, -2f] });

        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT image_features FROM items WHERE id = 'a'";
        var blob = (byte[])command.ExecuteScalar()!;

        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0 }, blob);
    }

    [Fact]
    public async Task Upserts_a_batch_in_one_transaction_with_an_outcome_per_item()
    {
        await _store.UpsertAsync(Item("b", "hash-b"));
        await _store.UpsertAsync(Item("c", "hash-c"));

        var outcomes = await _store.UpsertManyAsync([Item("a", "hash-a"), Item("b", "hash-b"), Item("c", "changed"), Item("a", "hash-a")]);

        Assert.Equal([UpsertOutcome.Created, UpsertOutcome.Unchanged, UpsertOutcome.Replaced, UpsertOutcome.Unchanged], outcomes);
    }

    [Fact]
    public async Task A_batch_with_an_invalid_item_stores_none_of_it()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => _store.UpsertManyAsync([Item("ok", "h"), Item("../bad", "h")]));

        Assert.Contains("'.'", exception.Message, StringComparison.Ordinal);
        Assert.Null(await _store.GetAsync("ok"));
    }

    [Fact]
    public async Task A_batch_that_fails_midway_rolls_back_the_items_before_it()
    {
        using var cancellation = new CancellationTokenSource();
        var items = Enumerable.Range(0, 5).Select(i => Item($"i{i}", "h")).ToList();
        // Cancels when the store reads item 3 for the second time (the first is validation), i.e. after
        // items 0 to 2 were written inside the transaction.
        var batch = new CancellingList(items, index: 3, onSecondRead: cancellation.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.UpsertManyAsync(batch, cancellation.Token));

        Assert.Empty(await _store.ListIdsAsync(null, 10));
    }

    [Fact]
    public async Task Gets_many_in_the_order_asked_skipping_unknown_ids_and_duplicates()
    {
        await _store.UpsertManyAsync([Item("a", "h"), Item("b", "h"), Item("c", "h")]);

        var found = await _store.GetManyAsync(["c", "missing", "a", "c"]);

        Assert.Equal(["c", "a"], found.Select(item => item.Id));
        Assert.Null(await _store.GetAsync("missing"));
    }

    [Fact]
    public async Task Gets_more_ids_than_fit_in_one_query()
    {
        var items = Enumerable.Range(0, 1_200).Select(i => Item($"i{i:D5}", "h")).ToList();
        await _store.UpsertManyAsync(items);

        var found = await _store.GetManyAsync(items.Select(item => item.Id).Reverse());

        Assert.Equal(items.Select(item => item.Id).Reverse(), found.Select(item => item.Id));
    }

    [Fact]
    public async Task Deletes_an_item_once()
    {
        await _store.UpsertAsync(Item("a", "h"));

        Assert.True(await _store.DeleteAsync("a"));
        Assert.False(await _store.DeleteAsync("a"));
        Assert.Null(await _store.GetAsync("a"));
        Assert.Equal(UpsertOutcome.Created, await _store.UpsertAsync(Item("a", "h")));
    }

    [Fact]
    public async Task Marks_items_indexed_and_failed_and_counts_them_by_state()
    {
        await _store.UpsertManyAsync([Item("a", "h"), Item("b", "h"), Item("c", "h"), Item("d", "h")]);

        Assert.Equal(2, await _store.MarkIndexedAsync(["a", "b", "unknown"], "model-7"));
        Assert.True(await _store.MarkFailedAsync("c", "features of the wrong length"));
        Assert.False(await _store.MarkFailedAsync("unknown", "x"));

        var counts = await _store.CountByStateAsync();
        Assert.Equal(1, counts[ItemState.Ingested]);
        Assert.Equal(2, counts[ItemState.Indexed]);
        Assert.Equal(1, counts[ItemState.Failed]);
        var failed = await _store.GetAsync("c");
        Assert.Equal((ItemState.Failed, "features of the wrong length"), (failed!.State, failed.FailureReason));
        Assert.Equal("model-7", (await _store.GetAsync("a"))!.ModelVersion);

        // A failed item indexed later is no longer failed.
        await _store.MarkIndexedAsync(["c"], "model-8");
        var recovered = await _store.GetAsync("c");
        Assert.Equal((ItemState.Indexed, null, "model-8"), (recovered!.State, recovered.FailureReason, recovered.ModelVersion));
    }

    [Fact]
    public async Task Counts_every_state_even_when_the_store_is_empty()
    {
        var counts = await _store.CountByStateAsync();

        Assert.Equal(Enum.GetValues<ItemState>(), counts.Keys.Order());
        Assert.All(counts.Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task Lists_ids_page_by_page_in_ordinal_order()
    {
        string[] ids = ["b", "B", "a-1", "a", "a:2", "Z", "0", "a.0"];
        await _store.UpsertManyAsync([.. ids.Select(id => Item(id, "h"))]);

        var pages = new List<IReadOnlyList<string>>();
        string? after = null;
        while (true)
        {
            var page = await _store.ListIdsAsync(after, 3);
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

    [Fact]
    public async Task Lists_items_of_one_state_after_a_given_id()
    {
        await _store.UpsertManyAsync([Item("a", "h"), Item("b", "h"), Item("c", "h"), Item("d", "h")]);
        await _store.MarkIndexedAsync(["b", "d"], "m");

        Assert.Equal(["a", "c"], (await _store.ListAsync(ItemState.Ingested, null, 10)).Select(item => item.Id));
        Assert.Equal(["d"], (await _store.ListAsync(ItemState.Indexed, "b", 10)).Select(item => item.Id));
        Assert.Equal(["c", "d"], (await _store.ListAsync(null, "b", 10)).Select(item => item.Id));
        Assert.Equal(["a"], (await _store.ListAsync(null, null, 1)).Select(item => item.Id));
    }

    [Fact]
    public async Task Caches_features_unless_the_content_was_replaced_meanwhile()
    {
        await _store.UpsertAsync(Item("a", "hash-1") with { Text = "t", TextFeatures = null });

        Assert.True(await _store.SetCachedFeaturesAsync("a", "hash-1", [1f, 2f], "resnet18-512", null, null));
        Assert.True(await _store.SetCachedFeaturesAsync("a", "hash-1", null, null, [3f], "minilm-384"));
        var cached = await _store.GetAsync("a");
        Assert.Equal([1f, 2f], cached!.ImageFeatures!);
        Assert.Equal("resnet18-512", cached.ImageFeatureSpace);
        Assert.Equal([3f], cached.TextFeatures!);
        Assert.Equal("minilm-384", cached.TextFeatureSpace);
        Assert.Equal("hash-1", cached.ContentHash);

        await _store.UpsertAsync(Item("a", "hash-2"));
        Assert.False(await _store.SetCachedFeaturesAsync("a", "hash-1", [9f], "resnet18-512", null, null));
        Assert.False(await _store.SetCachedFeaturesAsync("gone", "hash-1", [9f], "resnet18-512", null, null));
        Assert.Null((await _store.GetAsync("a"))!.ImageFeatures);
    }

    [Fact]
    public async Task Reopening_the_same_file_keeps_everything()
    {
        await _store.UpsertAsync(Item("a", "h") with { ImageFeatures = [0.25f] });
        await _store.UpsertAsync(Item("b", "h"));
        await _store.MarkIndexedAsync(["a"], "model-1");
        await _store.MarkFailedAsync("b", "broken");
        _store.Dispose();

        using var reopened = new SqliteItemStore(DatabasePath, _clock);
        var a = await reopened.GetAsync("a");
        var b = await reopened.GetAsync("b");

        Assert.Equal((ItemState.Indexed, "model-1"), (a!.State, a.ModelVersion));
        Assert.Equal([0.25f], a.ImageFeatures!);
        Assert.Equal((ItemState.Failed, "broken"), (b!.State, b.FailureReason));
        Assert.Equal(UpsertOutcome.Unchanged, await reopened.UpsertAsync(Item("a", "h")));
    }

    [Fact]
    public void Opens_in_wal_mode_with_one_schema_version_however_often_it_is_opened()
    {
        new SqliteItemStore(DatabasePath).Dispose();
        new SqliteItemStore(DatabasePath).Dispose();

        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "SELECT COUNT(*), MAX(version) FROM schema_version;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((1L, 1L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public void Refuses_a_file_with_a_newer_schema()
    {
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (99, 0);";
            command.ExecuteNonQuery();
        }

        var exception = Assert.Throws<InvalidOperationException>(() => new SqliteItemStore(DatabasePath));
        Assert.Contains("schema version 99", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_upserts_and_reads_from_several_threads_all_succeed()
    {
        const int Threads = 4;
        const int ItemsPerThread = 40;
        using var second = new SqliteItemStore(DatabasePath);

        var work = Enumerable.Range(0, Threads).Select(thread => Task.Run(async () =>
        {
            // Two store instances on one file stand in for two processes.
            IItemStore store = thread % 2 == 0 ? _store : second;
            for (var i = 0; i < ItemsPerThread; i++)
            {
                await store.UpsertAsync(Item($"t{thread}-{i:D3}", "h"));
                // Every thread also writes the same shared ids, so writers really contend.
                await store.UpsertManyAsync([Item($"shared-{i % 5}", $"h{thread}-{i}"), Item($"t{thread}-batch-{i}", "h")]);
                await store.GetAsync($"shared-{i % 5}");
            }
            await store.MarkIndexedAsync([.. Enumerable.Range(0, ItemsPerThread).Select(i => $"t{thread}-{i:D3}")], "m");
        }));
        await Task.WhenAll(work);

        var counts = await _store.CountByStateAsync();
        Assert.Equal(Threads * ItemsPerThread * 2 + 5, counts.Values.Sum());
        Assert.Equal(Threads * ItemsPerThread, counts[ItemState.Indexed]);
    }

    [Fact]
    public async Task Refuses_invalid_items_and_arguments()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.UpsertAsync(Item("a/b", "h")));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.UpsertAsync(Item(new string('x', 129), "h")));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.UpsertAsync(Item("a", "")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.ListIdsAsync(null, 0));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.MarkIndexedAsync(["a"], " "));
    }

    [Fact]
    public async Task Refuses_use_after_dispose()
    {
        _store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _store.GetAsync("a"));
    }

    private static ItemRecord Item(string id, string contentHash) => new()
    {
        Id = id,
        Labels = ["label"],
        Metadata = new Dictionary<string, string> { ["k"] = "v" },
        Text = $"text of {id}",
        TextFeatures = [0.5f, 1.5f],
        TextFeatureSpace = "lda-10",
        ContentHash = contentHash,
    };

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    private sealed class CancellingList(List<ItemRecord> items, int index, Action onSecondRead) : IReadOnlyList<ItemRecord>
    {
        private int _reads;

        public int Count => items.Count;

        public ItemRecord this[int i]
        {
            get
            {
                if (i == index && ++_reads == 2)
                {
                    onSecondRead();
                }
                return items[i];
            }
        }

        public IEnumerator<ItemRecord> GetEnumerator() => items.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public DateTimeOffset Start { get; } = start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
