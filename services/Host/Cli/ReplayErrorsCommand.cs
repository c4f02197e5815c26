using System.CommandLine;
using RabbitMQ.Client.Exceptions;
using MS2GAN.ServiceDefaults;

namespace MS2GAN.Host.Cli;

/// <summary>
/// `ms2gan replay-errors`: once the cause of failures is fixed (a vector store back up), moves the messages MassTransit
/// parked in the consumers' <c>_error</c> queues back to their queues, and prints per queue how many and why they had
/// failed. The password comes from the environment (Messaging__Password), never from the command line.
/// </summary>
public static class ReplayErrorsCommand
{
    /// <summary>The queues of the pipeline's consumers (MassTransit endpoint names).</summary>
    public static readonly IReadOnlyList<string> PipelineQueues =
    [
        MessagingOptions.EndpointPrefix + "items-ingested",
        MessagingOptions.EndpointPrefix + "item-deleted",
        MessagingOptions.EndpointPrefix + "retrain-model",
        MessagingOptions.EndpointPrefix + "rollback-model",
    ];

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "RabbitMQ host (default: Messaging__Host, else 127.0.0.1)" };
        var port = new Option<int?>("--port") { Description = "RabbitMQ port (default: Messaging__Port, else 5672)" };
        var vhost = new Option<string>("--vhost") { Description = "Virtual host (default: Messaging__VirtualHost, else /)" };
        var user = new Option<string>("--user") { Description = "User (default: Messaging__Username); the password is read from Messaging__Password" };
        var queues = new Option<string[]>("--queue") { Description = "A consumer queue whose _error queue to replay (repeatable; default: all of the pipeline's)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count the parked messages and their reasons; move nothing" };
        var command = new Command("replay-errors", "Move messages parked in the _error queues back to their consumers (after the cause is fixed)")
        {
            host, port, vhost, user, queues, dryRun,
        };
        command.SetAction((parse, cancellation) => CliRunner.RunAsync("replay-errors", false, async _ =>
        {
            var options = new MessagingOptions
            {
                Host = parse.GetValue(host) ?? Environment.GetEnvironmentVariable("Messaging__Host") ?? "127.0.0.1",
                Port = parse.GetValue(port) ?? (int.TryParse(Environment.GetEnvironmentVariable("Messaging__Port"), out var p) ? p : 5672),
                VirtualHost = parse.GetValue(vhost) ?? Environment.GetEnvironmentVariable("Messaging__VirtualHost") ?? "/",
                Username = parse.GetValue(user) ?? Environment.GetEnvironmentVariable("Messaging__Username"),
                Password = Environment.GetEnvironmentVariable("Messaging__Password"),
            };
            if (options.Username is null || options.Password is null)
            {
                throw new CommandFailedException(CliRunner.BadInput, "set --user (or Messaging__Username) and Messaging__Password in the environment");
            }
            var dry = parse.GetValue(dryRun);
            IReadOnlyList<ReplayResult> results;
            try
            {
                results = await new ErrorQueueReplayer(options).ReplayAsync(parse.GetValue(queues) is { Length: > 0 } named ? named : PipelineQueues, dry, cancellation);
            }
            catch (BrokerUnreachableException ex)
            {
                throw new CommandFailedException(CliRunner.Unreachable,
                    $"RabbitMQ at {options.Host}:{options.Port} (virtual host {options.VirtualHost}) cannot be reached: {ex.InnerException?.Message ?? ex.Message}");
            }
            foreach (var result in results)
            {
                Console.Out.WriteLine(Describe(result, dry));
            }
            return 0;
        }));
        return command;
    }

    private static string Describe(ReplayResult result, bool dryRun)
    {
        if (result.Found is null)
        {
            return $"{result.Queue}_error: no such queue";
        }
        var reasons = string.Concat(result.Reasons.OrderByDescending(r => r.Value).Select(r => $"{Environment.NewLine}  {r.Value} x {r.Key}"));
        return dryRun
            ? $"{result.Queue}_error: {result.Found} message(s) parked{reasons}"
            : $"{result.Queue}_error: {result.Replayed} of {result.Found} message(s) moved back to {result.Queue}{reasons}";
    }
}
