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
            var logger = loggers.CreateLogger("demo-data");
            var count = parse.GetValue(perClass);
            if (count is < 2 or > 9999)
            {
                throw new ArgumentException($"--per-class must be between 2 and 9999 (got {count})");
            }
            var sessions = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = parse.GetValue(provider) }, loggers.CreateLogger<OnnxSessionFactory>());
            using var images = parse.GetValue(mediaOnly) ? null : new ResNet18Backbone(sessions);
            using var texts = parse.GetValue(mediaOnly) ? null : new MiniLmBackbone(sessions);
            var total = count * DemoDataGenerator.ClassNames.Count;
            var dataset = TerminalProgress.Run("demo data", 4.0 * total, logger, report =>
                DemoDataGenerator.Generate(parse.GetValue(output)!.FullName, count, parse.GetValue(seed), images, texts,
                    new SynchronousProgress<DemoProgress>(p => report((int)p.Phase * total + p.Done * (double)total / Math.Max(1, p.Total), $"{Describe(p.Phase)} {p.Done}/{p.Total}")),
                    parse.GetValue(force)));
            logger.LogInformation("Demo dataset written to {Directory}", dataset.Directory);
            Console.Error.WriteLine($"demo data: {total} items in {DemoDataGenerator.ClassNames.Count} classes written to {dataset.Directory}");
            return 0;
        }));
        return command;
    }

    private static string Describe(DemoPhase phase) => phase switch
    {
        DemoPhase.Drawing => "drawing images",
        DemoPhase.EmbeddingImages => "ResNet18 features",
        DemoPhase.EmbeddingTexts => "MiniLM features",
        _ => "writing files",
    };
}
