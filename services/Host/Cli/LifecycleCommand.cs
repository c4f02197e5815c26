using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MS2GAN.Model.Registry;
using MS2GAN.Trainer;

namespace MS2GAN.Host.Cli;

/// <summary>
/// What `retrain` and `rollback` share: the options --requested-by, --no-wait and --timeout; sending the command
/// and, unless --no-wait, following it on the status endpoint (about every 500 ms, with a progress display) until
/// its outcome appears; the one-line summary.
/// </summary>
public sealed class LifecycleCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly Option<string> _requestedBy = new("--requested-by")
    {
        Description = "Who asks, for the registry and the log (default: $USER)", DefaultValueFactory = _ => CurrentUser(),
    };

    private readonly Option<bool> _noWait = new("--no-wait") { Description = "Send the command and exit; follow it with `ms2gan models`" };

    private readonly Option<int> _timeout = new("--timeout") { Description = "Seconds to wait for the outcome", DefaultValueFactory = _ => 3600 };

    /// <summary>Adds --requested-by, --no-wait and --timeout to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_requestedBy);
        command.Options.Add(_noWait);
        command.Options.Add(_timeout);
    }

    /// <summary>Who asks: --requested-by, else $USER, else the account name.</summary>
    public string RequestedBy(ParseResult parse) => parse.GetValue(_requestedBy) is { Length: > 0 } name ? name : CurrentUser();

    /// <summary>
    /// Sends <paramref name="command"/> with <paramref name="body"/> and waits for its outcome; returns the exit
    /// code: 0 when promoted or rolled back (or sent, with --no-wait), 1 when rejected or failed.
    /// </summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="client">The admin API.</param>
    /// <param name="command">retrain or rollback.</param>
    /// <param name="body">The request body.</param>
    /// <param name="working">What the service does before a reindex starts ("training...").</param>
    /// <param name="logger">For plain progress lines when standard error is not a terminal.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public async Task<int> SendAndWaitAsync(ParseResult parse, ServiceClient client, string command, object body, string working, ILogger logger,
        CancellationToken cancellationToken)
    {
        var timeout = parse.GetValue(_timeout);
        if (timeout < 1)
        {
            throw new CommandFailedException(CliRunner.BadInput, $"--timeout {timeout}: give a number of seconds of at least 1");
        }
        var accepted = await client.SendAsync(command, body, cancellationToken);
        if (parse.GetValue(_noWait))
        {
            Console.Out.WriteLine($"{command} requested: {accepted.RequestId} (follow it with `ms2gan models`)");
            return 0;
        }
        var (outcome, status) = await TerminalProgress.RunAsync(command, logger,
            report => WaitAsync(client, accepted.RequestId, working, TimeSpan.FromSeconds(timeout), report, cancellationToken));
        Console.Out.WriteLine(LifecycleSummary.Outcome(outcome, status));
        return outcome.Result is LifecycleSummary.Promoted or LifecycleSummary.RolledBack ? 0 : CliRunner.Failure;
    }

    private static string CurrentUser() => Environment.GetEnvironmentVariable("USER") is { Length: > 0 } user ? user : Environment.UserName;

    private static async Task<(LifecycleOutcome, LifecycleStatus)> WaitAsync(ServiceClient client, Guid requestId, string working, TimeSpan timeout,
        Action<ProgressStep> report, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var status = await client.GetStatusAsync(cancellationToken);
            if (status.Outcomes.LastOrDefault(o => o.RequestId == requestId) is { } outcome)
            {
                return (outcome, status);
            }
            report(status.Reindex is { } reindex
                ? new ProgressStep(LifecycleSummary.ReindexProgress(reindex), reindex.Done, reindex.Total)
                : new ProgressStep(working));
            if (waited.Elapsed > timeout)
            {
                throw new CommandFailedException(CliRunner.Unreachable,
                    $"no outcome for request {requestId} after {timeout.TotalSeconds:F0} s; the service goes on with it (see `ms2gan models`)");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
