using MS2GAN.Features.Common;
using System.CommandLine;
using Microsoft.Extensions.Logging;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Demo;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Host.Cli;

/// <summary>
/// `ms2gan demo-data`: draws the project's own demo dataset (images of shapes, colours and textures with
/// captions from templates), and extracts raw-mode base features with the built-in backbones.
/// </summary>
public static class DemoDataCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Dataset folder to write", Required = true };
        var perClass = new Option<int>("--per-class") { Description = "Items per class (80% train, 20% test)", DefaultValueFactory = _ => 60 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same dataset", DefaultValueFactory = _ => 1 };
        var mediaOnly = new Option<bool>("--media-only") { Description = "Only images and captions, no backbone features" };
        var force = new Option<bool>("--force") { Description = "Replace an existing dataset folder" };
        var provider = new Option<ExecutionPreference>("--provider") { Description = "ONNX Runtime provider for the backbones: Auto, Cuda or Cpu", DefaultValueFactory = _ => ExecutionPreference.Auto };
        var command = new Command("demo-data", "Generate the demo dataset: PNG images, captions and their ResNet18 / MiniLM features")
        {
            output, perClass, seed, mediaOnly, force, provider,
        };
        command.SetAction(parse => CliRunner.Run("demo-data", false, loggers =>
        {
            Generate(parse.GetValue(output)!.FullName, parse.GetValue(perClass), parse.GetValue(seed), parse.GetValue(mediaOnly),
                parse.GetValue(force), parse.GetValue(provider), loggers);
            return 0;
        }));
        return command;
    }

    /// <summary>Generates the demo dataset with a progress display; shared by `demo-data` and `serve`.</summary>
    public static DemoDataset Generate(string outDir, int perClass, int seed, bool mediaOnly, bool force, ExecutionPreference provider, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("demo-data");
        if (perClass is < 2 or > 9999)
        {
            throw new ArgumentException($"--per-class must be between 2 and 9999 (got {perClass})");
        }
        var sessions = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = provider }, loggers.CreateLogger<OnnxSessionFactory>());
        using var images = mediaOnly ? null : new ResNet18Backbone(sessions);
        using var texts = mediaOnly ? null : new MiniLmBackbone(sessions);
        var total = perClass * DemoDataGenerator.ClassNames.Count;
        var dataset = TerminalProgress.Run("demo data", 4.0 * total, logger, report =>
            DemoDataGenerator.Generate(outDir, perClass, seed, images, texts,
                new SynchronousProgress<DemoProgress>(p => report((int)p.Phase * total + p.Done * (double)total / Math.Max(1, p.Total), $"{Describe(p.Phase)} {p.Done}/{p.Total}")),
                force));
        logger.LogInformation("Demo dataset written to {Directory}", dataset.Directory);
        Console.Error.WriteLine($"demo data: {total} items in {DemoDataGenerator.ClassNames.Count} classes written to {dataset.Directory}");
        return dataset;
    }

    private static string Describe(DemoPhase phase) => phase switch
    {
        DemoPhase.Drawing => "drawing images",
        DemoPhase.EmbeddingImages => "ResNet18 features",
        DemoPhase.EmbeddingTexts => "MiniLM features",
        _ => "writing files",
    };
}
