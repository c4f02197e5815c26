using System.CommandLine;
using MS2GAN.Model.Artifacts;

namespace MS2GAN.Host.Cli;

/// <summary>`ms2gan inspect`: prints a model folder's manifest after checking its files.</summary>
public static class InspectCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model folder", Required = true };
        var command = new Command("inspect", "Print a model's manifest (version, feature space, config, metrics, files)") { model };
        command.SetAction(parse => CliRunner.Run("inspect", false, _ =>
        {
            var manifest = ModelFolder.Read(parse.GetValue(model)!.FullName);
            Console.Out.WriteLine(manifest.ToJson());
            return 0;
        }));
        return command;
    }
}
