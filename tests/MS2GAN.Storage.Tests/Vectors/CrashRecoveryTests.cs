using System.Diagnostics;
using MS2GAN.Storage.CrashWriter;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>A real child process writing to the store is killed with SIGKILL; nothing it was told was written is lost.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ms2gan-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Reopen_after_SIGKILL_during_graph_builds_and_saves_keeps_every_acknowledged_vector_in_the_rows_and_the_graphs()
    {
        // Three rounds on the same folder, each killed after a different number of acknowledged batches; the child
        // compacts every few batches, so snapshots and graph saves are under way in the background when it dies.
        var acked = new List<(int Round, int Batch)>();
        int[] killAfter = [9, 23, 16];
        for (var round = 0; round < killAfter.Length; round++)
        {
            acked.AddRange((await RunAndKillAsync(round, killAfter[round])).Select(batch => (round, batch)));
        }

        // Every acknowledged record is in the rows (the exact scan finds it, score 1) and in its modality's graph; the
        // graph search, approximate by design, finds nearly all of them first (16+16-d random vectors, ef 200: the worst of
        // 19 runs under load missed 4 of 1,920; the bar is 1 in 100).
        var expected = acked.SelectMany(a => CrashBatch.Records(a.Round, a.Batch)).ToList();
        using (var store = new EmbeddedVectorStore(new EmbeddedVectorStoreOptions
        {
            RootDirectory = _root, Mode = VectorSearchMode.Hnsw, HnswThreshold = 0, HnswExpansionSearch = 200,
        }))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            Assert.True(await store.WaitForGraphAsync(CrashBatch.Index, timeout.Token));
            Assert.True(await store.CountAsync(CrashBatch.Index) >= expected.Count);
            Assert.Equal(0, store.GraphStats(CrashBatch.Index)!.Absent);
            var missed = 0;
            foreach (var record in expected)
            {
                var hit = (await store.SearchAsync(CrashBatch.Index, new VectorQuery(record.Specific, record.Shared, 0.5, 0.5, record.Modality, 1)))[0];
                missed += (hit.ItemId, hit.Modality) == (record.ItemId, record.Modality) ? 0 : 1;
            }

            Assert.True(missed * 100 <= expected.Count, $"the graph search missed {missed} of {expected.Count} acknowledged records");
        }

        using var exact = new EmbeddedVectorStore(new EmbeddedVectorStoreOptions { RootDirectory = _root, Mode = VectorSearchMode.Exact });
        foreach (var record in expected)
        {
            var hit = (await exact.SearchAsync(CrashBatch.Index, new VectorQuery(record.Specific, record.Shared, 0.5, 0.5, record.Modality, 1)))[0];
            Assert.Equal((record.ItemId, record.Modality), (hit.ItemId, hit.Modality));
            Assert.Equal(1.0, hit.Score, 4);
        }
    }

    /// <summary>Starts the writer for <paramref name="round"/>, kills it (SIGKILL) after <paramref name="batches"/> acks; returns the batches it acknowledged.</summary>
    private async Task<List<int>> RunAndKillAsync(int round, int batches)
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "MS2GAN.Storage.CrashWriter.dll");
        var start = new ProcessStartInfo("dotnet", [writer, _root, round.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var child = Process.Start(start) ?? throw new InvalidOperationException("the crash writer did not start");
        var acked = new List<int>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (acked.Count < batches && await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("acked ", StringComparison.Ordinal))
            {
                acked.Add(int.Parse(line["acked ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        // Process.Kill sends SIGKILL on Linux: no finaliser, no Dispose, no flush runs in the child.
        child.Kill();
        await child.WaitForExitAsync(timeout.Token);
        Assert.True(acked.Count == batches, $"round {round}: the writer stopped after {acked.Count} batches: {await child.StandardError.ReadToEndAsync()}");
        return acked;
    }
}
