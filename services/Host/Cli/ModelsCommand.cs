using System.CommandLine;
using System.Text.Json;

namespace MS2GAN.Host.Cli;

/// <summary>`ms2gan models`: the model registry of a running service (versions, active and previous, reindex progress).</summary>
public static class ModelsCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var connection = new ServiceConnection();
        var json = new Option<bool>("--json") { Description = "Print the status as the service returns it (JSON)" };
        var command = new Command("models", "List the model versions of a running service: stages, holdout mAP, the active one, reindex progress") { json };
        connection.AddTo(command);
        command.SetAction((parse, cancellation) => CliRunner.RunAsync("models", false, async _ =>
        {
            using var client = connection.Connect(parse);
            var body = await client.GetStatusJsonAsync(cancellation);
            Console.Out.Write(parse.GetValue(json)
                ? body + Environment.NewLine
                : LifecycleSummary.Status(JsonSerializer.Deserialize<Trainer.LifecycleStatus>(body, ServiceClient.Json)!));
            return 0;
        }));
        return command;
    }
}
