using MS2GAN.Features.Demo;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;

namespace MS2GAN.Integration.Tests.Faults;

/// <summary>
/// Images that were fine at the door are damaged in the media store before the encoder reads them (bytes overwritten, the
/// file cut short, the file gone): each such item is marked failed with its reason, the rest of its batch is indexed,
/// and no message is retried in a loop or set aside, because the batch as a whole succeeded.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class CorruptMediaTests(BackboneModelFixture model) : IClassFixture<BackboneModelFixture>
{
    private const int ItemCount = 12;
    private static readonly string Queue = MessagingOptions.EndpointPrefix + "items-ingested";

    [RabbitMqFact]
    public async Task Damaged_media_fails_its_item_with_the_reason_and_the_rest_of_the_batch_is_indexed()
    {
        var broker = RabbitMqBroker.FromEnvironment();
        await using var virtualHost = await broker.CreateVirtualHostAsync("corrupt");
        using var folder = new TempFolder();
        await using var pipeline = await SplitPipeline.StartAsync(model.ModelDirectory, broker, virtualHost.Name, folder);
        // The encoder is away while the items arrive, so the damage happens between ingest and encoding.
        await pipeline.Encoder.StopAsync();
        var samples = Enumerable.Range(0, ItemCount).Select(i => DemoDataGenerator.CreateSample(i % DemoDataGenerator.ClassNames.Count, i, seed: 5)).ToList();
        var acknowledged = await pipeline.SendLinesAsync(samples.Select(s => (object)new
        {
            id = s.Id, text = s.Caption, image = Convert.ToBase64String(s.Png), labels = new[] { s.ClassName },
        }));
        Assert.Equal(samples.Select(s => s.Id), acknowledged);

        var damage = new Dictionary<string, (Action<string> Apply, string Reason)>
        {
            [samples[2].Id] = (path => File.WriteAllBytes(path, [.. Enumerable.Repeat((byte)0x5A, 4096)]), "not a JPEG, PNG or WebP image"),
            [samples[5].Id] = (path => File.WriteAllBytes(path, File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length / 2)]), "truncated or corrupt"),
            [samples[9].Id] = (File.Delete, "missing from the media store"),
        };
        foreach (var record in await pipeline.GetItemsAsync(damage.Keys))
        {
            damage[record.Id].Apply(Path.Combine(pipeline.DataDirectory, "media", record.ImageMediaRef!));
        }

        var started = DateTime.UtcNow;
        await pipeline.Encoder.StartAsync(TimeSpan.FromSeconds(60));
        await Poll.UntilAsync(async () => (await pipeline.GetItemsAsync(acknowledged)).All(r => r.State != ItemState.Ingested), TimeSpan.FromMinutes(2),
            async () => $"{(await pipeline.GetItemsAsync(acknowledged)).Count(r => r.State == ItemState.Ingested)} items still waiting to be encoded");
        var settled = DateTime.UtcNow - started;
        await pipeline.Encoder.StopAsync();

        var records = await pipeline.GetItemsAsync(acknowledged);
        foreach (var record in records)
        {
            if (damage.TryGetValue(record.Id, out var expected))
            {
                Assert.Equal(ItemState.Failed, record.State);
                Assert.Contains(expected.Reason, record.FailureReason, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(ItemState.Indexed, record.State);
            }
        }
        var indexed = records.Count(r => r.State == ItemState.Indexed);
        var vectors = await pipeline.CountVectorsAsync();
        Assert.Equal(2L * indexed, vectors);
        Assert.Equal(0u, await broker.ReadyMessagesAsync(virtualHost.Name, Queue));
        Assert.Equal(0u, await broker.ReadyMessagesAsync(virtualHost.Name, Queue + "_error") ?? 0);
        new FaultRow($"media damaged in the store after ingest ({damage.Count} of {ItemCount} images: overwritten, cut short, deleted)",
            ItemCount, acknowledged.Count, indexed, Lost: acknowledged.Count - indexed - records.Count(r => r.State == ItemState.Failed),
            Duplicated: (int)(vectors - 2L * indexed),
            $"{damage.Count} marked failed with the reason, the rest of the batch indexed, nothing retried; encoded in {settled.TotalSeconds:F1} s").Save();
    }
}
