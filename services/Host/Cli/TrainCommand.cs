using MS2GAN.Features.Common;
using System.CommandLine;
using Microsoft.Extensions.Logging;
using MS2GAN.Features.Data;
using MS2GAN.Model;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Training;

namespace MS2GAN.Host.Cli;

/// <summary>`ms2gan train`: trains MS2GAN on a feature dataset and writes a model folder.</summary>
public static class TrainCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Feature dataset folder (train_*.npy, test_*.npy)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Model folder to write", Required = true };
        var config = new Option<FileInfo?>("--config") { Description = "JSON configuration; flags below override it" };
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs" };
        var seed = new Option<int?>("--seed") { Description = "Random seed" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Pairs per mini-batch" };
        var learningRate = new Option<double?>("--lr") { Description = "Generator learning rate" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for TorchSharp (0: all)" };
        var force = new Option<bool>("--force") { Description = "Replace an existing model folder" };
        var verbose = new Option<bool>("--verbose") { Description = "Debug logging" };
        var command = new Command("train", "Train MS2GAN on a feature dataset and write a model folder (ONNX encoders, manifest, curves)")
        {
            data, output, config, epochs, seed, batchSize, learningRate, threads, force, verbose,
        };
        command.SetAction(parse => CliRunner.Run("train", parse.GetValue(verbose), loggers =>
        {
            var logger = loggers.CreateLogger("train");
            var settings = parse.GetValue(config) is { } file ? Ms2GanConfig.Load(file.FullName) : new Ms2GanConfig();
            settings = settings with
            {
                Epochs = parse.GetValue(epochs) ?? settings.Epochs,
                Seed = parse.GetValue(seed) ?? settings.Seed,
                BatchSize = parse.GetValue(batchSize) ?? settings.BatchSize,
                LearningRate = parse.GetValue(learningRate) ?? settings.LearningRate,
                Threads = parse.GetValue(threads) ?? settings.Threads,
            };
            var problems = settings.Validate();
            if (problems.Count > 0)
            {
                throw new ConfigException(string.Join("; ", problems));
            }
            Train(parse.GetValue(data)!.FullName, parse.GetValue(output)!.FullName, settings, parse.GetValue(force), logger);
            return 0;
        }));
        return command;
    }

    /// <summary>Trains with a progress display and prints the retrieval tables; shared by `train` and `serve`.</summary>
    public static ModelManifest Train(string data, string output, Ms2GanConfig settings, bool force, ILogger logger)
    {
        var dataset = FeatureDatasetLoader.Load(data);
        var manifest = TerminalProgress.Run("training", settings.Epochs, logger, report =>
            new Ms2GanModelBuilder(logger).Build(dataset, settings, output, force,
                new SynchronousProgress<EpochReport>(e => report(e.Epoch, Describe(e)))));
        Console.Error.WriteLine(ModelSummary.Describe(manifest));
        return manifest;
    }

    private static string Describe(EpochReport e) =>
        $"epoch {e.Epoch}/{e.Epochs} loss {e.GeneratorLoss:F3} (label {e.LabelLoss:F3}, inter {e.InterLoss:F3}, intra {e.IntraLoss:F3}, " +
        $"diff {e.DifferenceLoss:F3}, adv {e.AdversarialLoss:F3}, disc {e.DiscriminatorLoss:F3}) val mAP {e.ValidationMap:F4}{(e.IsBest ? " *" : "")} " +
        $"ETA {e.Remaining:mm\\:ss}";
}
