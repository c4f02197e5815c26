using System.Collections.Concurrent;
using MassTransit;

namespace MS2GAN.Ingest.Tests;

/// <summary>Records every message the bus publishes; can be told to fail publishing for chosen item ids.</summary>
public sealed class PublishedMessages : IPublishObserver
{
    private readonly ConcurrentQueue<object> _messages = new();
    private readonly ConcurrentDictionary<string, bool> _failFor = new();

    /// <summary>Makes publishing any message that mentions <paramref name="itemId"/> fail.</summary>
    public void FailFor(string itemId) => _failFor[itemId] = true;

    public IReadOnlyList<T> Of<T>(Func<T, bool> predicate) => [.. _messages.OfType<T>().Where(predicate)];

    /// <summary>Every item announced (in ItemsIngested messages of one or more items), in publish order.</summary>
    public IReadOnlyList<Contracts.IngestedItem> Ingested(Func<Contracts.IngestedItem, bool> predicate) =>
        [.. _messages.OfType<Contracts.ItemsIngested>().SelectMany(message => message.Items).Where(predicate)];

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class
    {
        if (context.Message is Contracts.ItemsIngested chunk && chunk.Items.Any(item => _failFor.ContainsKey(item.ItemId))
            || context.Message is Contracts.ItemDeleted deleted && _failFor.ContainsKey(deleted.ItemId))
        {
            throw new InvalidOperationException("the broker is down (test)");
        }
        return Task.CompletedTask;
    }

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class
    {
        _messages.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
