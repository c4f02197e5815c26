using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MS2GAN.Trainer;

namespace MS2GAN.Host.Cli;

/// <summary>
/// `ms2gan retrain`: sends a retrain command to a running service's admin API and, unless --no-wait, shows its
/// progress (training, then the reindex) until the quality gate's outcome. Exit code 0 promoted, 1 rejected or
/// failed, 2 bad input, 3 service unreachable or timeout.
/// </summary>
public static class RetrainCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var epochs = new Option<int?>("--epochs") { Description = "The most epochs to train; early stopping may end sooner (default: the configuration's)" };
        var config = new Option<FileInfo?>("--config") { Description = "JSON object of training configuration fields (camelCase) over the defaults or --configuration" };
        var configuration = new Option<string?>("--configuration")
        {
            Description = $"A named configuration to start from instead of the defaults ({string.Join(", ", MS2GAN.Model.NamedConfigurations.Names)})",
        };
        var labels = new Option<string[]>("--label") { Description = "Train only on items with this label (repeatable)" };
        var tolerance = new Option<double?>("--tolerance") { Description = "The quality gate's tolerance for this retrain, 0 to 1 (default: Lifecycle:Tolerance)" };
        var command = new Command("retrain", "Retrain the served model on the labelled items; promoted only if it passes the quality gate")
        {
            epochs, config, configuration, labels, tolerance,
        };
        var lifecycle = new LifecycleCommand();
        var connection = new ServiceConnection();
        lifecycle.AddTo(command);
        connection.AddTo(command);
        command.SetAction((parse, cancellation) => CliRunner.RunAsync("retrain", false, async loggers =>
        {
            var overrides = parse.GetValue(config) is { } file ? ReadConfig(file) : (JsonElement?)null;
            var request = new RetrainRequest(lifecycle.RequestedBy(parse), parse.GetValue(epochs), overrides,
                parse.GetValue(labels) is { Length: > 0 } given ? given : null, parse.GetValue(tolerance), parse.GetValue(configuration));
            using var client = connection.Connect(parse);
            return await lifecycle.SendAndWaitAsync(parse, client, "retrain", request, "training...", loggers.CreateLogger("retrain"), cancellation);
        }));
        return command;
    }

    private static JsonElement ReadConfig(FileInfo file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file.FullName));
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new CommandFailedException(CliRunner.BadInput,
                    $"{file.FullName}: expected a JSON object of training configuration fields, found {document.RootElement.ValueKind}");
        }
        catch (JsonException ex)
        {
            throw new CommandFailedException(CliRunner.BadInput, $"{file.FullName}: not valid JSON ({ex.Message})");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliRunner.BadInput, $"{file.FullName}: cannot be read ({ex.Message})");
        }
    }
}
