using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;

namespace MS2GAN.Integration.Tests.Faults;

/// <summary>
/// RabbitMQ is restarted in the middle of an ingest. The ingest API acknowledges only what it handed to the broker
/// (publisher confirms): batches it refused are sent again by the client, and every acknowledged item is indexed once.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class BrokerRestartTests(FeatureModelFixture model, ITestOutputHelper output)
{
    private const int BatchSize = 200;
    private const int Attempts = 60;

    [RabbitMqFact]
    public async Task Restarting_rabbitmq_mid_ingest_acknowledges_only_what_reached_it_and_loses_nothing()
    {
        var broker = RabbitMqBroker.FromEnvironment();
        await using var virtualHost = await broker.CreateVirtualHostAsync("restart");
        using var folder = new TempFolder();
        await using var pipeline = await SplitPipeline.StartAsync(model.ModelDirectory, broker, virtualHost.Name, folder);
        var items = FeatureModelFixture.Items("restart", FaultSize.Items);
        // The ingest spans at least 12 s, so the outage (from 3 s) falls well inside it.
        var pace = TimeSpan.FromSeconds(12) / Math.Max(1, items.Count / BatchSize);
        var acknowledged = new ConcurrentBag<string>();
        var refusedBatches = 0;
        var slowest = TimeSpan.Zero;
        var firstAfterRestart = new TaskCompletionSource<TimeSpan>();
        var restarted = new Stopwatch();

        var send = Task.Run(async () =>
        {
            foreach (var batch in items.Chunk(BatchSize))
            {
                // A refused batch (503 while the broker is away) is sent again, as a client would, a bounded number of times.
                for (var attempt = 0; attempt < Attempts; attempt++)
                {
                    var request = Stopwatch.StartNew();
                    var accepted = await pipeline.SendAsync(batch);
                    slowest = request.Elapsed > slowest ? request.Elapsed : slowest;
                    if (accepted.Count > 0)
                    {
                        foreach (var id in accepted)
                        {
                            acknowledged.Add(id);
                        }
                        if (restarted.IsRunning)
                        {
                            firstAfterRestart.TrySetResult(restarted.Elapsed);
                        }
                        break;
                    }
                    Interlocked.Increment(ref refusedBatches);
                    await Task.Delay(500);
                }
                await Task.Delay(pace);
            }
        });
        await Task.Delay(3000);
        await broker.RestartAsync(TimeSpan.FromSeconds(3));
        restarted.Start();
        await send;
        var ids = acknowledged.Distinct().ToList();
        var recovery = firstAfterRestart.Task.IsCompleted ? $"broker back to first acknowledged batch: {(await firstAfterRestart.Task).TotalSeconds:F1} s" : "n/a";
        var row = await pipeline.SettleAsync(
            $"RabbitMQ stopped for 3 s mid-ingest ({refusedBatches} batch requests refused and sent again; the slowest request, held until the broker confirmed, took {slowest.TotalSeconds:F1} s)",
            items.Count, ids, recovery);
        output.WriteLine(FaultRow.Header);
        output.WriteLine(row.ToString());

        Assert.Equal(items.Count, ids.Count);
        Assert.Equal(0, row.Lost);
        Assert.Equal(0, row.Duplicated);
    }
}
