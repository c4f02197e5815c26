using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MS2GAN.ServiceDefaults;

/// <summary>What a replay found and did in one <c>_error</c> queue.</summary>
/// <param name="Queue">The consumer's queue the messages went back to.</param>
/// <param name="Found">Messages in <c>{Queue}_error</c> when the replay started; null when there is no such queue.</param>
/// <param name="Replayed">Messages moved back (0 in a dry run).</param>
/// <param name="Reasons">Why they had failed (MassTransit's fault message), with how many each.</param>
public sealed record ReplayResult(string Queue, uint? Found, int Replayed, IReadOnlyDictionary<string, int> Reasons);

/// <summary>
/// Re-drives messages that MassTransit moved to a consumer's <c>_error</c> queue after its retries (a vector store that
/// was down, say) once the cause is fixed: each is published again, body and properties unchanged but for the fault
/// headers, to the consumer's own exchange, with publisher confirms, and only then removed from the error queue. A
/// replay moves at most the messages that were there when it started, so one that fails again is not looped.
/// </summary>
public sealed class ErrorQueueReplayer(MessagingOptions options)
{
    private const string FaultMessageHeader = "MT-Fault-Message";

    /// <summary>Replays (or, with <paramref name="dryRun"/>, only counts) the <c>_error</c> queue of each consumer queue named.</summary>
    /// <exception cref="BrokerUnreachableException">RabbitMQ cannot be reached with these settings.</exception>
    public async Task<IReadOnlyList<ReplayResult>> ReplayAsync(IEnumerable<string> queues, bool dryRun, CancellationToken cancellationToken = default)
    {
        var factory = new ConnectionFactory
        {
            HostName = options.Host ?? "127.0.0.1",
            Port = options.Port,
            VirtualHost = options.VirtualHost,
            UserName = options.Username ?? "guest",
            Password = options.Password ?? "guest",
            ClientProvidedName = "ms2gan replay-errors",
        };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        var results = new List<ReplayResult>();
        foreach (var queue in queues)
        {
            results.Add(await ReplayQueueAsync(connection, queue, dryRun, cancellationToken));
        }
        return results;
    }

    private static async Task<ReplayResult> ReplayQueueAsync(IConnection connection, string queue, bool dryRun, CancellationToken cancellationToken)
    {
        var errorQueue = queue + "_error";
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        uint found;
        try
        {
            found = (await channel.QueueDeclarePassiveAsync(errorQueue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return new ReplayResult(queue, null, 0, new Dictionary<string, int>());
        }
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var replayed = 0;
        for (var i = 0; i < found; i++)
        {
            var message = await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken);
            if (message is null)
            {
                break;
            }
            var reason = Header(message.BasicProperties.Headers, FaultMessageHeader) ?? "(no reason recorded)";
            reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            if (dryRun)
            {
                continue;
            }
            var properties = new BasicProperties(message.BasicProperties)
            {
                Headers = message.BasicProperties.Headers?
                    .Where(header => !header.Key.StartsWith("MT-Fault", StringComparison.Ordinal) && header.Key != "MT-Reason")
                    .ToDictionary(header => header.Key, header => header.Value),
            };
            // MassTransit binds an exchange of the queue's name to the queue: publishing there delivers to the consumer.
            await channel.BasicPublishAsync(queue, "", mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            replayed++;
        }
        // A dry run leaves every message where it was (unacknowledged ones go back when the channel closes).
        return new ReplayResult(queue, found, replayed, reasons);
    }

    private static string? Header(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => value?.ToString(),
            }
            : null;
}
