using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Contracts;
using MS2GAN.Storage.Items;

namespace MS2GAN.Integration.Tests;

/// <summary>At-least-once delivery: the same ItemIngested arriving again changes nothing.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RedeliveryTests(FeatureModelFixture model)
{
    private const int NeighbourCount = 10;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [RabbitMqFact]
    public async Task A_message_delivered_twice_indexes_the_item_once()
    {
        var broker = RabbitMqBroker.FromEnvironment();
        await using var virtualHost = await broker.CreateVirtualHostAsync("redelivery");
        await using var host = await PipelineHost.StartAsync(model.ModelDirectory, broker, virtualHost.Name);
        var recorder = await ItemIndexedRecorder.ConnectAsync(host.Services.GetRequiredService<IBus>());

        // Neighbours over HTTP, so that the index holds more than the item under test.
        var neighbours = FeatureModelFixture.Items("neighbour", NeighbourCount);
        await host.IngestAsync(neighbours);
        await host.WaitUntilIndexedAsync([.. neighbours.Select(i => i.Id)], Timeout);

        // The item is stored, and announced by hand: the same message (same message id) twice.
        var item = FeatureModelFixture.Items("redelivered", 1)[0];
        var store = host.Services.GetRequiredService<IItemStore>();
        var contentHash = ItemContentHash.Compute([item.Label], new Dictionary<string, string>(), null, null, item.ImageFeatures, item.TextFeatures);
        await store.UpsertAsync(new ItemRecord
        {
            Id = item.Id,
            Labels = [item.Label],
            ImageFeatures = item.ImageFeatures,
            TextFeatures = item.TextFeatures,
            ContentHash = contentHash,
        });
        var message = new ItemsIngested([new IngestedItem(item.Id, contentHash, HasImage: false, HasText: false, HasImageFeatures: true, HasTextFeatures: true, DateTimeOffset.UtcNow)]);
        var messageId = NewId.NextGuid();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            await publisher.Publish(message, context => context.MessageId = messageId);
            await Poll.UntilAsync(() => recorder.Count(item.Id) == 1, Timeout, () => $"first delivery: {recorder.Count(item.Id)} ItemIndexed");
            Assert.Equal(2L * (NeighbourCount + 1), await host.CountVectorsAsync());

            await publisher.Publish(message, context => context.MessageId = messageId);
            await Poll.UntilAsync(() => recorder.Count(item.Id) == 2, Timeout, () => $"second delivery: {recorder.Count(item.Id)} ItemIndexed");
        }

        Assert.Equal(2L * (NeighbourCount + 1), await host.CountVectorsAsync());
        Assert.Equal("indexed", await host.GetStateAsync(item.Id));
        var hits = await host.SearchAsync(item.ImageFeatures, "image", "any", k: 2 * (NeighbourCount + 1));
        Assert.Equal(["image", "text"], hits.Where(h => h.Id == item.Id).Select(h => h.Modality).Order(StringComparer.Ordinal));
        Assert.Equal((item.Id, "image"), hits[0]);
    }
}
