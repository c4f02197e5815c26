using System.Collections.Concurrent;
using MassTransit;
using MS2GAN.Contracts;

namespace MS2GAN.Integration.Tests;

/// <summary>
/// Counts the ItemIndexed events the encoder publishes, per item, through a receive endpoint of its own
/// connected to the application's bus (an auto-delete queue bound like any other subscriber's).
/// </summary>
public sealed class ItemIndexedRecorder
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    private ItemIndexedRecorder()
    {
    }

    /// <summary>Connects a recorder to the bus and waits until its queue is bound.</summary>
    public static async Task<ItemIndexedRecorder> ConnectAsync(IBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var recorder = new ItemIndexedRecorder();
        var handle = bus.ConnectReceiveEndpoint($"ms2gan-test-item-indexed-{Guid.NewGuid():N}", endpoint =>
        {
            if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
            }
            endpoint.Handler<ItemIndexed>(context =>
            {
                recorder._counts.AddOrUpdate(context.Message.ItemId, 1, (_, count) => count + 1);
                return Task.CompletedTask;
            });
        });
        await handle.Ready;
        return recorder;
    }

    /// <summary>How many ItemIndexed events announced this item.</summary>
    public int Count(string itemId) => _counts.GetValueOrDefault(itemId);

    /// <summary>Every item announced so far with its count.</summary>
    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_counts);
}
