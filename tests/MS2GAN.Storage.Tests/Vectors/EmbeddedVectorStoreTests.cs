using MS2GAN.Storage.Vectors;

namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>Durability and concurrency behaviour specific to the embedded store's files.</summary>
public sealed class EmbeddedVectorStoreTests : IDisposable
{
    private const int Dim = 8;
    private readonly EmbeddedStoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task A_torn_last_log_record_is_ignored_on_reopen()
    {
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root });
        var root = _fixture.OptionsOf(store).RootDirectory;
        await store.CreateIndexAsync(new IndexDefinition("torn", Dim, Dim, null));
        var records = VectorCorpus.Records(10, Dim, Dim, 1);
        await store.UpsertAsync("torn", records[..5]);
        var log = Path.Combine(root, "indexes", "torn", "log.bin");
        var lengthAfterFirst = new FileInfo(log).Length;
        await store.UpsertAsync("torn", records[5..]);
        store.Dispose();

        // A crash in the middle of the second batch: only part of its frame reached the disk.
        using (var file = new FileStream(log, FileMode.Open))
        {
            file.SetLength(lengthAfterFirst + ((file.Length - lengthAfterFirst) / 2));
        }

        var reopened = _fixture.Create(_ => new EmbeddedVectorStoreOptions { RootDirectory = root });
        Assert.Equal(5, await reopened.CountAsync("torn"));
        Assert.Equal(lengthAfterFirst, new FileInfo(log).Length);

        await reopened.UpsertAsync("torn", records[5..]);
        reopened.Dispose();
        var again = _fixture.Create(_ => new EmbeddedVectorStoreOptions { RootDirectory = root });
        Assert.Equal(records.Count, await again.CountAsync("torn"));
    }

    [Fact]
    public async Task A_corrupt_last_log_record_is_ignored_on_reopen()
    {
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root });
        var root = _fixture.OptionsOf(store).RootDirectory;
        await store.CreateIndexAsync(new IndexDefinition("flip", Dim, Dim, null));
        var records = VectorCorpus.Records(10, Dim, Dim, 2);
        await store.UpsertAsync("flip", records[..4]);
        await store.UpsertAsync("flip", records[4..]);
        store.Dispose();

        var log = Path.Combine(root, "indexes", "flip", "log.bin");
        var bytes = File.ReadAllBytes(log);
        bytes[^3] ^= 0xFF;
        File.WriteAllBytes(log, bytes);

        var reopened = _fixture.Create(_ => new EmbeddedVectorStoreOptions { RootDirectory = root });
        Assert.Equal(4, await reopened.CountAsync("flip"));
    }

    [Fact]
    public async Task Compaction_keeps_every_vector()
    {
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root, CompactAfterLogBytes = 4096 });
        var root = _fixture.OptionsOf(store).RootDirectory;
        await store.CreateIndexAsync(new IndexDefinition("compact", Dim, Dim, null));
        var records = VectorCorpus.Records(200, Dim, Dim, 3);
        foreach (var batch in records.Chunk(7))
        {
            await store.UpsertAsync("compact", batch);
        }

        // Deletes and replacements after compactions, so snapshot and log must combine correctly.
        await store.DeleteItemAsync("compact", "item-0004");
        var random = new Random(4);
        var replaced = records.Where(r => r.ItemId == "item-0009").Select(r => r with { Shared = VectorCorpus.RandomVector(random, Dim) }).ToList();
        await store.UpsertAsync("compact", replaced);
        var expected = records.Where(r => r.ItemId is not ("item-0004" or "item-0009")).Concat(replaced).ToList();
        var indexFolder = Path.Combine(root, "indexes", "compact");

        // Dispose waits for a snapshot still being written in the background. (The log's length is not bounded
        // tightly any more: writes go on, and the log grows, while a snapshot is being written.)
        store.Dispose();
        Assert.True(File.Exists(Path.Combine(indexFolder, "snapshot.bin")));
        Assert.False(File.Exists(Path.Combine(indexFolder, "log.old.bin")));
        var reopened = _fixture.Create(_ => new EmbeddedVectorStoreOptions { RootDirectory = root, CompactAfterLogBytes = 4096 });
        Assert.Equal(expected.Count, await reopened.CountAsync("compact"));
        foreach (var record in expected)
        {
            var hit = (await reopened.SearchAsync("compact", new VectorQuery(record.Specific, record.Shared, 0.5, 0.5, record.Modality, 1)))[0];
            Assert.Equal(record.ItemId, hit.ItemId);
            Assert.Equal(1.0, hit.Score, 5);
            Assert.Equal(record.Labels, hit.Labels);
            Assert.Equal(record.Metadata["source"], hit.Metadata["source"]);
        }
    }

    [Fact]
    public async Task The_log_of_an_unfinished_compaction_is_replayed_on_open_and_folded_in_by_the_next_one()
    {
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root, CompactAfterLogBytes = 1 << 20 });
        var root = _fixture.OptionsOf(store).RootDirectory;
        await store.CreateIndexAsync(new IndexDefinition("unfinished", Dim, Dim, null));
        var records = VectorCorpus.Records(60, Dim, Dim, 5);
        await store.UpsertAsync("unfinished", records[..40]);
        store.Dispose();

        // A crash after the log was set aside and before the snapshot was written: only the old log holds the rows.
        var folder = Path.Combine(root, "indexes", "unfinished");
        File.Move(Path.Combine(folder, "log.bin"), Path.Combine(folder, "log.old.bin"));
        var reopened = _fixture.Create(_ => new EmbeddedVectorStoreOptions { RootDirectory = root, CompactAfterLogBytes = 1024 });
        Assert.Equal(40, await reopened.CountAsync("unfinished"));

        await reopened.UpsertAsync("unfinished", records[40..]);
        reopened.Dispose();
        Assert.False(File.Exists(Path.Combine(folder, "log.old.bin")));
        var again = _fixture.Create(_ => new EmbeddedVectorStoreOptions { RootDirectory = root });
        Assert.Equal(records.Count, await again.CountAsync("unfinished"));
        foreach (var record in records)
        {
            var hit = (await again.SearchAsync("unfinished", new VectorQuery(record.Specific, record.Shared, 0.5, 0.5, record.Modality, 1)))[0];
            Assert.Equal((record.ItemId, record.Modality), (hit.ItemId, hit.Modality));
        }
    }

    [Fact]
    public async Task Concurrent_upserts_deletes_and_searches_do_not_throw()
    {
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root, CompactAfterLogBytes = 64 * 1024 });
        await store.CreateIndexAsync(new IndexDefinition("busy", Dim, Dim, null));
        await store.UpsertAsync("busy", VectorCorpus.Records(100, Dim, Dim, 5));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var round = 0;
            do
            {
                await store.UpsertAsync("busy", VectorCorpus.Records(20, Dim, Dim, (w * 1000) + round, $"w{w}-{round % 10}-"));
                await store.DeleteItemAsync("busy", $"w{w}-{(round + 5) % 10}-0003");
                round++;
            }
            while (!stop.IsCancellationRequested || round < 3);

            return round;
        })).ToList();
        var searchers = Enumerable.Range(0, 3).Select(s => Task.Run(async () =>
        {
            var random = new Random(s);
            var searches = 0;
            do
            {
                var hits = await store.SearchAsync("busy", new VectorQuery(VectorCorpus.RandomVector(random, Dim), VectorCorpus.RandomVector(random, Dim), 0.5, 0.5, VectorModalities.Any, 10));
                Assert.Equal(10, hits.Count);
                searches++;
            }
            while (!stop.IsCancellationRequested || searches < 3);

            return searches;
        })).ToList();

        await Task.WhenAll(writers);
        await Task.WhenAll(searchers);

        // The count and the scanned records must agree after the interleaving.
        var count = await store.CountAsync("busy");
        Assert.True(count >= 171);
        var everything = await store.SearchAsync("busy", new VectorQuery([], VectorCorpus.RandomVector(new Random(1), Dim), 0, 1, VectorModalities.Any, 10_000));
        Assert.Equal(count, everything.Count);
    }

    [Fact]
    public async Task Names_must_be_valid_and_aliases_cannot_shadow_indexes()
    {
        var store = _fixture.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root });
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateIndexAsync(new IndexDefinition("Bad/Name", Dim, Dim, null)));
        await store.CreateIndexAsync(new IndexDefinition("real", Dim, Dim, null));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.SetAliasAsync("real", "real"));
        await Assert.ThrowsAnyAsync<KeyNotFoundException>(() => store.SetAliasAsync("live", "missing"));
        await store.SetAliasAsync("live", "real");
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateIndexAsync(new IndexDefinition("live", Dim, Dim, null)));

        Assert.True(await store.DeleteIndexAsync("real"));
        Assert.Null(await store.GetAliasAsync("live"));
    }
}
