using System.Diagnostics;
using MassTransit;

namespace MS2GAN.Benchmarks;

/// <summary>
/// One message per item through the same broker with nothing else to do: MassTransit publishes with
/// publisher confirms (in chunks of PublishBatch, as the ingest service does) and a plain consumer takes
/// them one at a time. The ceiling of a pipeline that handles each item on its own.
/// </summary>
public static class RawBrokerBenchmark
{
    public static async Task<double> RunAsync(BenchBroker broker, int messages, int publishers, int chunk)
    {
        var consumed = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = $"bench-raw-{Guid.NewGuid():N}";
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker.Host, (ushort)broker.Port, broker.VirtualHost, host =>
            {
                host.Username(broker.Username);
                host.Password(broker.Password);
                host.PublisherConfirmation = true;
            });
            cfg.ReceiveEndpoint(queue, endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.PrefetchCount = 512;
                endpoint.Handler<BenchItemMessage>(_ =>
                {
                    if (Interlocked.Increment(ref consumed) == messages)
                    {
                        done.TrySetResult();
                    }
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync();
        try
        {
            var hash = new string('a', 64);
            var watch = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    var start = Interlocked.Add(ref next, chunk) - chunk + 1;
                    if (start >= messages)
                    {
                        return;
                    }
                    var batch = Enumerable.Range(start, Math.Min(chunk, messages - start))
                        .Select(i => new BenchItemMessage($"raw-{i:D7}", hash, false, false, true, true, DateTimeOffset.UtcNow))
                        .ToList();
                    await bus.PublishBatch(batch);
                }
            })));
            await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
            return messages / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
