using System.Diagnostics;
using MassTransit;
using MS2GAN.ServiceDefaults;
using MS2GAN.Contracts;

namespace MS2GAN.Encoder;

/// <summary>Encodes ingested items in batches; the work is <see cref="ItemEncoder"/>'s.</summary>
public sealed class ItemIngestedConsumer(ItemEncoder encoder, Ms2GanMetrics metrics) : IConsumer<Batch<ItemIngested>>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<Batch<ItemIngested>> context)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var message in context.Message)
        {
            metrics.QueueLagSince(message.Message.IngestedAt);
        }
        var ids = context.Message.Select(m => m.Message.ItemId).ToList();
        var outcome = await encoder.EncodeAsync(ids, context.CancellationToken);
        metrics.EncodeBatch(ids.Count, Stopwatch.GetElapsedTime(started));
        metrics.ItemsIndexed(outcome.Indexed.Count);
        if (outcome.Failed.Count > 0)
        {
            metrics.ItemsFailed("encode", outcome.Failed.Count);
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, modalities) in outcome.Indexed)
        {
            await context.Publish(new ItemIndexed(id, encoder.ModelVersion, encoder.IndexName, modalities, now), context.CancellationToken);
        }
        foreach (var (id, reason) in outcome.Failed)
        {
            await context.Publish(new ItemIndexingFailed(id, reason, now), context.CancellationToken);
        }
    }
}
