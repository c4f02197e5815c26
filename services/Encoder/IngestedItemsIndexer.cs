using System.Diagnostics;
using MassTransit;
using MS2GAN.Contracts;
using MS2GAN.ServiceDefaults;

namespace MS2GAN.Encoder;

/// <summary>
/// What both ingest consumers do with the items they receive: encode them (in slices of at most
/// <see cref="EncoderOptions.BatchSize"/>), record the metrics and then announce each item as
/// <see cref="ItemIndexed"/> or <see cref="ItemIndexingFailed"/>. Announcements go out once every slice
/// is done, all together (their confirmations awaited once): a message that fails half-way and is
/// redelivered announces each of its items once, not the early slices twice.
/// </summary>
public sealed class IngestedItemsIndexer(ItemEncoder encoder, Ms2GanMetrics metrics)
{
    /// <summary>Encodes and announces <paramref name="items"/>; <paramref name="sliceSize"/> bounds one encoder run.</summary>
    public async Task IndexAsync(ConsumeContext context, IReadOnlyList<ItemIngested> items, int sliceSize)
    {
        foreach (var item in items)
        {
            metrics.QueueLagSince(item.IngestedAt);
        }
        var indexed = new List<ItemIndexed>();
        var failed = new List<ItemIndexingFailed>();
        foreach (var slice in items.Chunk(Math.Max(1, sliceSize)))
        {
            var started = Stopwatch.GetTimestamp();
            var ids = slice.Select(item => item.ItemId).ToList();
            var outcome = await encoder.EncodeAsync(ids, context.CancellationToken).ConfigureAwait(false);
            metrics.EncodeBatch(ids.Count, Stopwatch.GetElapsedTime(started));
            metrics.ItemsIndexed(outcome.Indexed.Count);
            if (outcome.Failed.Count > 0)
            {
                metrics.ItemsFailed("encode", outcome.Failed.Count);
            }
            var now = DateTimeOffset.UtcNow;
            indexed.AddRange(outcome.Indexed.Select(pair => new ItemIndexed(pair.Key, outcome.ModelVersion, outcome.IndexName, pair.Value, now)));
            failed.AddRange(outcome.Failed.Select(pair => new ItemIndexingFailed(pair.Key, pair.Value, now)));
        }
        if (indexed.Count > 0)
        {
            await context.PublishBatch(indexed, context.CancellationToken).ConfigureAwait(false);
        }
        if (failed.Count > 0)
        {
            await context.PublishBatch(failed, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
