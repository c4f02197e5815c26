using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;

namespace MS2GAN.Integration.Tests;

/// <summary>An encoder batch that fails half-way is retried from RabbitMQ's copy: nothing is lost, nothing doubled.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ConsumerCrashTests(FeatureModelFixture model)
{
    private const int ItemCount = 200;
    private const int BatchSize = 25;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string IngestQueue = MessagingOptions.EndpointPrefix + "items-ingested";

    [RabbitMqFact]
    public async Task A_consumer_that_crashes_mid_batch_loses_no_item_and_indexes_each_once()
    {
        var broker = RabbitMqBroker.FromEnvironment();
        await using var virtualHost = await broker.CreateVirtualHostAsync("crash");
        var items = FeatureModelFixture.Items("crash", ItemCount);
        var ids = items.Select(i => i.Id).ToList();
        IReadOnlyDictionary<string, int> announced;
        CrashingItemStore crashing;

        await using (var host = await PipelineHost.StartAsync(
            model.ModelDirectory,
            broker,
            virtualHost.Name,
            // Small batches, so that the second one crashes with batches done before it and after it.
            new Dictionary<string, string> { ["Encoder:BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            services => services.Decorate<IItemStore>(inner => new CrashingItemStore(inner, crashOnMarkIndexedCall: 2))))
        {
            crashing = Assert.IsType<CrashingItemStore>(host.Services.GetRequiredService<IItemStore>());
            var recorder = await ItemIndexedRecorder.ConnectAsync(host.Services.GetRequiredService<IBus>());

            await host.IngestAsync(items);
            await host.WaitUntilIndexedAsync(ids, Timeout);
            await Poll.UntilAsync(() => ids.All(id => recorder.Count(id) > 0), Timeout,
                () => $"{ids.Count(id => recorder.Count(id) > 0)} of {ItemCount} items announced as indexed");

            Assert.NotEmpty(crashing.CrashedIds);
            Assert.Equal(2L * ItemCount, await host.CountVectorsAsync());
            foreach (var id in crashing.CrashedIds.Take(5))
            {
                Assert.Equal("indexed", await host.GetStateAsync(id));
            }
            await host.DisposeAsync();
            // Stopping the bus finishes what is in flight: no late announcement goes uncounted.
            announced = recorder.Snapshot();
        }

        Assert.All(ids, id => Assert.Equal(1, announced.GetValueOrDefault(id)));
        Assert.Equal(ItemCount, announced.Count);
        Assert.Equal(0u, await broker.ReadyMessagesAsync(virtualHost.Name, IngestQueue));
        Assert.True((await broker.ReadyMessagesAsync(virtualHost.Name, IngestQueue + "_error") ?? 0) == 0, "messages went to the _error queue");
        Assert.True((await broker.ReadyMessagesAsync(virtualHost.Name, IngestQueue + "_skipped") ?? 0) == 0, "messages went to the _skipped queue");
    }
}
