using System.Diagnostics;
using Xunit.Abstractions;

namespace MS2GAN.Integration.Tests;

/// <summary>Items ingested over HTTP travel through RabbitMQ to the encoder and become searchable.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class IngestOverRabbitMqTests(FeatureModelFixture model, ITestOutputHelper output)
{
    private const int ItemCount = 300;
    private const int SelfQueries = 20;

    private static readonly TimeSpan IndexedTimeout = TimeSpan.FromSeconds(60);

    [RabbitMqFact]
    public async Task Items_ingested_over_http_are_all_indexed_and_searchable()
    {
        var broker = RabbitMqBroker.FromEnvironment();
        await using var virtualHost = await broker.CreateVirtualHostAsync("ingest");
        await using var host = await PipelineHost.StartAsync(model.ModelDirectory, broker, virtualHost.Name);
        var items = FeatureModelFixture.Items("ingest", ItemCount);
        var ids = items.Select(i => i.Id).ToList();

        var stopwatch = Stopwatch.StartNew();
        await host.IngestAsync(items);
        await host.WaitUntilIndexedAsync(ids, IndexedTimeout);
        output.WriteLine($"{ItemCount} items from HTTP to indexed through RabbitMQ in {stopwatch.Elapsed.TotalSeconds:F2} s");

        Assert.Equal(2L * ItemCount, await host.CountVectorsAsync());
        Assert.Equal("indexed", await host.GetStateAsync(ids[^1]));

        // One query over every image returns each item exactly once.
        var all = await host.SearchAsync(items[0].TextFeatures, "text", "image", k: ItemCount);
        Assert.All(all, hit => Assert.Equal("image", hit.Modality));
        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Select(h => h.Id).Order(StringComparer.Ordinal));

        // An item's own features find it first, in both modalities: the vectors are the right ones, under the right ids.
        foreach (var item in items.Take(SelfQueries))
        {
            Assert.Equal((item.Id, "image"), (await host.SearchAsync(item.ImageFeatures, "image", "image", k: 1)).Single());
            Assert.Equal((item.Id, "text"), (await host.SearchAsync(item.TextFeatures, "text", "text", k: 1)).Single());
        }
    }
}
