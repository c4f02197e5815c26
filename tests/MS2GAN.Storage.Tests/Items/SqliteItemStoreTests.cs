using Microsoft.Data.Sqlite;
using MS2GAN.Storage.Items;

namespace MS2GAN.Storage.Tests.Items;

public sealed class SqliteItemStoreTests : ItemStoreConformanceTests, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ms2gan-items-");
    private readonly SqliteItemStore _store;

    public SqliteItemStoreTests() => _store = new SqliteItemStore(DatabasePath, Clock);

    protected override IItemStore Store => _store;

    private string DatabasePath => Path.Combine(_folder.FullName, "items.db");

    public void Dispose()
    {
        _store.Dispose();
        _folder.Delete(recursive: true);
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
    public async Task Reopening_the_same_file_keeps_everything()
    {
        await _store.UpsertAsync(Item("a", "h") with { ImageFeatures = [0.25f] });
        await _store.UpsertAsync(Item("b", "h"));
        await _store.MarkIndexedAsync(["a"], "model-1");
        await _store.MarkFailedAsync("b", "broken");
        _store.Dispose();

        using var reopened = new SqliteItemStore(DatabasePath, Clock);
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
        Assert.Equal((2L, 2L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public async Task A_version_1_file_is_migrated_in_place_and_keeps_its_items()
    {
        // The schema of version 1 as it was released, with one indexed item in it.
        var path = Path.Combine(_folder.FullName, "v1.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);
                INSERT INTO schema_version VALUES (1, 0);
                CREATE TABLE items (
                    id TEXT NOT NULL PRIMARY KEY, labels TEXT NOT NULL, metadata TEXT NOT NULL, text TEXT NULL,
                    image_media_ref TEXT NULL, image_content_type TEXT NULL, image_features BLOB NULL, text_features BLOB NULL,
                    image_feature_space TEXT NULL, text_feature_space TEXT NULL, content_hash TEXT NOT NULL, state TEXT NOT NULL,
                    failure_reason TEXT NULL, model_version TEXT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
                CREATE INDEX ix_items_state_id ON items (state, id);
                INSERT INTO items VALUES ('old', '["cat"]', '{}', 'a cat', NULL, NULL, NULL, NULL, NULL, NULL, 'h', 'indexed', NULL, 'v1', 5, 6);
                """;
            command.ExecuteNonQuery();
        }

        using var store = new SqliteItemStore(path);

        var old = await store.GetAsync("old");
        Assert.Equal(["cat"], old!.Labels);
        Assert.Equal(("a cat", ItemState.Indexed, "v1"), (old.Text, old.State, old.ModelVersion));
        Assert.Null(old.AutoLabel);
        Assert.Equal(1, await store.SetAutoLabelsAsync(["old"], new Dictionary<string, MS2GAN.Storage.AutoLabel> { ["old"] = new("cat", 0.5) }));
        Assert.Equal(new MS2GAN.Storage.AutoLabel("cat", 0.5), (await store.GetAsync("old"))!.AutoLabel);
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
    public async Task Refuses_use_after_dispose()
    {
        _store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _store.GetAsync("a"));
    }

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
}
