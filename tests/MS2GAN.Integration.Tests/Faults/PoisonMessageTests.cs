using System.Text;
using MS2GAN.ServiceDefaults;
using RabbitMQ.Client;

namespace MS2GAN.Integration.Tests.Faults;

/// <summary>
/// A message the encoder cannot read (malformed JSON) arrives in its queue among good ones: it is set aside once, in the
/// _error queue, never redelivered in a loop, and the items around it are indexed.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class PoisonMessageTests(FeatureModelFixture model)
{
    private const int ItemCount = 40;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string Queue = MessagingOptions.EndpointPrefix + "items-ingested";

    [RabbitMqFact]
    public async Task A_poison_message_is_set_aside_once_and_the_rest_is_indexed()
    {
        var broker = RabbitMqBroker.FromEnvironment();
        await using var virtualHost = await broker.CreateVirtualHostAsync("poison");
        await using var host = await PipelineHost.StartAsync(model.ModelDirectory, broker, virtualHost.Name,
            new Dictionary<string, string> { ["Messaging:RetryIntervals:0"] = "00:00:00.05" });
        var before = FeatureModelFixture.Items("poison-a", ItemCount / 2);
        var after = FeatureModelFixture.Items("poison-b", ItemCount / 2);

        await host.IngestAsync(before);
        await PublishRawAsync(broker, virtualHost.Name, Queue, "{\"message\": {\"items\": [ this is not json");
        await host.IngestAsync(after);

        var ids = before.Concat(after).Select(i => i.Id).ToList();
        await host.WaitUntilIndexedAsync(ids, Timeout);
        await Poll.UntilAsync(async () => (await broker.ReadyMessagesAsync(virtualHost.Name, Queue + "_error") ?? 0) == 1, Timeout,
            async () => $"{await broker.ReadyMessagesAsync(virtualHost.Name, Queue + "_error")} messages in {Queue}_error");
        Assert.Equal(0u, await broker.ReadyMessagesAsync(virtualHost.Name, Queue));
        Assert.Equal(2L * ItemCount, await host.CountVectorsAsync());
        new FaultRow("a poison message (malformed JSON) between two batches in the encoder's queue: set aside in _error once",
            ItemCount, ItemCount, ItemCount, Lost: 0, Duplicated: (int)(await host.CountVectorsAsync() - 2L * ItemCount), "no loop; the next batch indexed").Save();
    }

    private static async Task PublishRawAsync(RabbitMqBroker broker, string virtualHost, string exchange, string body)
    {
        var factory = new ConnectionFactory
        {
            HostName = broker.Host, Port = broker.Port, VirtualHost = virtualHost, UserName = broker.Username, Password = broker.Password,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync(exchange, "", mandatory: true, properties, Encoding.UTF8.GetBytes(body));
    }
}
