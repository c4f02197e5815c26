using System.CommandLine;

namespace MS2GAN.Host.Cli;

/// <summary>The ms2gan command line: one verb per command class.</summary>
public static class CommandLine
{
    /// <summary>The root command with every verb.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("ms2gan: cross-modal (image <-> text) retrieval with MS2GAN");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(DemoDataCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(Serve.ServeCommand.Create());
        root.Subcommands.Add(RetrainCommand.Create());
        root.Subcommands.Add(RollbackCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(ReplayErrorsCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        return root;
    }
}
