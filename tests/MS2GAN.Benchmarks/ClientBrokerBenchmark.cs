using System.Diagnostics;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MS2GAN.Benchmarks;

/// <summary>
/// The peer of the pipeline: RabbitMQ.Client alone on the same broker, one message per item (the JSON of a
/// <see cref="BenchItemMessage"/>, persistent, to a durable queue), published with publisher confirms from several
/// channels in chunks awaited together, and consumed with manual acks and a prefetch of 512, as MassTransit's
/// endpoints do. No envelope, no serializer pipeline, no consumer factory: what a hand-written service would get.
/// </summary>
public static class ClientBrokerBenchmark
{
    public static async Task<double> RunAsync(BenchBroker broker, int messages, int publishers, int chunk)
    {
        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.Port,
            UserName = broker.Username,
            Password = broker.Password,
            VirtualHost = broker.VirtualHost,
        };
        var queue = $"bench-client-{Guid.NewGuid():N}";
        await using var connection = await factory.CreateConnectionAsync();
        await using var consuming = await connection.CreateChannelAsync();
        await consuming.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        try
        {
            await consuming.BasicQosAsync(0, 512, false);
            var consumed = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = new AsyncEventingBasicConsumer(consuming);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                if (JsonSerializer.Deserialize<BenchItemMessage>(delivery.Body.Span) is null)
                {
                    throw new InvalidDataException($"message {delivery.DeliveryTag} is not a {nameof(BenchItemMessage)}");
                }

                await consuming.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                if (Interlocked.Increment(ref consumed) == messages)
                {
                    done.TrySetResult();
                }
            };
            await consuming.BasicConsumeAsync(queue, autoAck: false, consumer);

            var hash = new string('a', 64);
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
            var watch = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(async () =>
            {
                await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
                    publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
                while (true)
                {
                    var start = Interlocked.Add(ref next, chunk) - chunk + 1;
                    if (start >= messages)
                    {
                        return;
                    }

                    await Task.WhenAll(Enumerable.Range(start, Math.Min(chunk, messages - start)).Select(i =>
                    {
                        var body = JsonSerializer.SerializeToUtf8Bytes(new BenchItemMessage($"raw-{i:D7}", hash, false, false, true, true, DateTimeOffset.UtcNow));
                        return channel.BasicPublishAsync(string.Empty, queue, mandatory: false, properties, body).AsTask();
                    }));
                }
            })));
            await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
            return messages / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            await consuming.QueueDeleteAsync(queue);
        }
    }
}
