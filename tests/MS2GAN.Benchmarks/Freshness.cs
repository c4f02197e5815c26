using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Contracts;

namespace MS2GAN.Benchmarks;

/// <summary>
/// Time from sending an item to searchable, at a steady ingest rate: items go out in small NDJSON
/// requests paced to the rate, and an ItemIndexed subscriber (a queue of its own on the application's
/// bus) notes when each became searchable. Freshness = ItemIndexed received - request sent, so it
/// includes the HTTP request, both broker hops and the encoder's batch wait.
/// </summary>
public static class Freshness
{
    private const int TicksPerSecond = 20;

    public sealed record Result(int Rate, int Items, double SendSeconds, double P50Ms, double P99Ms, double MaxMs)
    {
        public double AchievedRate => Items / SendSeconds;
    }

    public static async Task<Result> RunAsync(PipelineRun run, SyntheticCorpus corpus, int rate, TimeSpan duration)
    {
        var indexedAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var bus = run.Services.GetRequiredService<IBus>();
        var handle = bus.ConnectReceiveEndpoint($"bench-item-indexed-{Guid.NewGuid():N}", endpoint =>
        {
            if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
            }
            endpoint.Handler<ItemIndexed>(context =>
            {
                indexedAt.TryAdd(context.Message.ItemId, Stopwatch.GetTimestamp());
                return Task.CompletedTask;
            });
        });
        await handle.Ready;
        try
        {
            var total = (int)(rate * duration.TotalSeconds);
            var sentAt = new long[total];
            var requests = new List<Task>();
            var sent = 0;
            var watch = Stopwatch.StartNew();
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / TicksPerSecond));
            while (sent < total && await timer.WaitForNextTickAsync())
            {
                // Items due by now at the rate, however late this tick is: the average rate stays exact.
                var due = Math.Min(total, (int)(watch.Elapsed.TotalSeconds * rate)) - sent;
                if (due <= 0)
                {
                    continue;
                }
                var from = sent;
                var body = PipelineRun.NdjsonBody(corpus, "fresh", seed: 13, from, due);
                var now = Stopwatch.GetTimestamp();
                Array.Fill(sentAt, now, from, due);
                requests.Add(run.PostBatchAsync(body, due));
                sent += due;
            }
            var sendSeconds = watch.Elapsed.TotalSeconds;
            await Task.WhenAll(requests);

            var deadline = Stopwatch.StartNew();
            while (indexedAt.Count < total && deadline.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(100);
            }
            if (indexedAt.Count < total)
            {
                throw new TimeoutException($"freshness: only {indexedAt.Count} of {total} items were announced indexed within 120 s of the last send");
            }
            var sorted = Percentiles.Sorted(Enumerable.Range(0, total).Select(i =>
                Stopwatch.GetElapsedTime(sentAt[i], indexedAt[$"fresh-{i:D7}"]).TotalMilliseconds));
            return new Result(rate, total, sendSeconds, Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 99), sorted[^1]);
        }
        finally
        {
            await handle.StopAsync();
        }
    }
}
