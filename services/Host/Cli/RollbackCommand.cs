using System.CommandLine;
using Microsoft.Extensions.Logging;
using MS2GAN.Trainer;

namespace MS2GAN.Host.Cli;

/// <summary>
/// `ms2gan rollback`: makes the previous model version active again through a running service's admin API and,
/// unless --no-wait, shows the reindex until it is done. Exit code 0 rolled back, 1 refused (no previous version)
/// or failed, 2 bad input, 3 service unreachable or timeout.
/// </summary>
public static class RollbackCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var command = new Command("rollback", "Make the previous model version active again (its index is brought up to date first)");
        var lifecycle = new LifecycleCommand();
        var connection = new ServiceConnection();
        lifecycle.AddTo(command);
        connection.AddTo(command);
        command.SetAction((parse, cancellation) => CliRunner.RunAsync("rollback", false, async loggers =>
        {
            using var client = connection.Connect(parse);
            return await lifecycle.SendAndWaitAsync(parse, client, "rollback", new RollbackRequest(lifecycle.RequestedBy(parse)), "rolling back...",
                loggers.CreateLogger("rollback"), cancellation);
        }));
        return command;
    }
}
