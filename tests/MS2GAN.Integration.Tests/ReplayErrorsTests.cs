using Microsoft.Extensions.DependencyInjection;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Integration.Tests;

/// <summary>
/// A vector store outage: the encoder retries, then parks the message in the _error queue with the reason; the items
/// stay ingested (not lost, not marked indexed); once the store is back, replay-errors re-drives them and they are indexed.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ReplayErrorsTests(FeatureModelFixture model)
{
    private const int ItemCount = 30;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string Queue = MessagingOptions.EndpointPrefix + "items-ingested";

    [RabbitMqFact]
    public async Task Messages_parked_during_a_store_outage_are_indexed_after_replay_errors()
    {
        var broker = RabbitMqBroker.FromEnvironment();
        await using var virtualHost = await broker.CreateVirtualHostAsync("replay");
        OutageVectorStore? outage = null;
        await using var host = await PipelineHost.StartAsync(model.ModelDirectory, broker, virtualHost.Name,
            new Dictionary<string, string> { ["Messaging:RetryLimit"] = "2", ["Messaging:RetryIntervals:0"] = "00:00:00.05" },
            services => services.Decorate<IVectorStore>(inner => outage = new OutageVectorStore(inner)));
        var items = FeatureModelFixture.Items("replay", ItemCount);
        var ids = items.Select(i => i.Id).ToList();

        outage!.Down = true;
        await host.IngestAsync(items);
        await Poll.UntilAsync(async () => await broker.ReadyMessagesAsync(virtualHost.Name, Queue + "_error") >= 1, Timeout,
            async () => $"{await broker.ReadyMessagesAsync(virtualHost.Name, Queue + "_error")} messages in {Queue}_error");
        Assert.All(ids.Take(5), id => Assert.Equal("ingested", host.GetStateAsync(id).GetAwaiter().GetResult()));

        var replayer = new ErrorQueueReplayer(new MessagingOptions
        {
            Host = broker.Host, Port = broker.Port, VirtualHost = virtualHost.Name, Username = broker.Username, Password = broker.Password,
        });
        var counted = Assert.Single(await replayer.ReplayAsync([Queue], dryRun: true));
        Assert.Equal(1u, counted.Found);
        Assert.Equal(0, counted.Replayed);
        Assert.Contains(counted.Reasons, reason => reason.Key.Contains(OutageVectorStore.Reason));
        Assert.Equal(1u, await broker.ReadyMessagesAsync(virtualHost.Name, Queue + "_error"));

        outage.Down = false;
        var recovery = System.Diagnostics.Stopwatch.StartNew();
        var replayed = Assert.Single(await replayer.ReplayAsync([Queue], dryRun: false));

        Assert.Equal(1, replayed.Replayed);
        await host.WaitUntilIndexedAsync(ids, Timeout);
        var vectors = await host.CountVectorsAsync();
        new Faults.FaultRow("vector store down during the ingest: retried, parked in _error with the reason, `ms2gan replay-errors` after it is back",
            ItemCount, ItemCount, ItemCount, Lost: 0, Duplicated: (int)(vectors - 2L * ItemCount),
            $"replay to indexed: {recovery.Elapsed.TotalSeconds:F1} s").Save();
        Assert.Equal(2L * ItemCount, vectors);
        Assert.Equal(0u, await broker.ReadyMessagesAsync(virtualHost.Name, Queue + "_error"));
        var missing = Assert.Single(await replayer.ReplayAsync([MessagingOptions.EndpointPrefix + "no-such-consumer"], dryRun: true));
        Assert.Null(missing.Found);
    }
}
