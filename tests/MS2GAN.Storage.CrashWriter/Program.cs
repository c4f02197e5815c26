using MS2GAN.Storage.CrashWriter;
using MS2GAN.Storage.Vectors;

// Usage: MS2GAN.Storage.CrashWriter ROOT ROUND
// Opens (or reopens) the HNSW store in ROOT and upserts batches of CrashBatch.Size records with ids "r{ROUND}-b{batch}-{i}",
// printing "acked {batch}" after each upsert returns, until killed. The log is compacted every few batches, so
// snapshots and graph saves run in the background all the time and a kill lands in the middle of one sooner or later.
if (args.Length != 2 || !int.TryParse(args[1], out var round))
{
    Console.Error.WriteLine("usage: MS2GAN.Storage.CrashWriter ROOT ROUND");
    return 2;
}

var store = new EmbeddedVectorStore(new EmbeddedVectorStoreOptions
{
    RootDirectory = args[0], Mode = VectorSearchMode.Hnsw, HnswThreshold = 0, CompactAfterLogBytes = 64 * 1024,
});
await store.CreateIndexAsync(new IndexDefinition(CrashBatch.Index, CrashBatch.Dim, CrashBatch.Dim, null));
for (var batch = 0; ; batch++)
{
    await store.UpsertAsync(CrashBatch.Index, CrashBatch.Records(round, batch));
    Console.Out.WriteLine($"acked {batch}");
    Console.Out.Flush();
}
