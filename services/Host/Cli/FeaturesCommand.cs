using System.CommandLine;
using Microsoft.Extensions.Logging;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using MS2GAN.Host.Cli.Import;

namespace MS2GAN.Host.Cli;

/// <summary>
/// `ms2gan features`: turns two manifests of items with images and texts (what `ms2gan ingest` reads) into a feature
/// dataset for offline `train` and the peers: the built-in backbones' base features (ResNet18 of the image, MiniLM of
/// the text: the same computation as the encoder service's) as <c>train_*.npy</c> and <c>test_*.npy</c>, and
/// <c>dataset.json</c> with the class names. An item's class is its first label, else the metadata field
/// <c>--class-field</c> (so a held-out manifest without labels can carry its class for scoring).
/// </summary>
public static class FeaturesCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var train = new Option<string>("--train") { Description = "Manifest (or folder) of the training items", Required = true };
        var test = new Option<string>("--test") { Description = "Manifest (or folder) of the test items", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Feature dataset folder to write", Required = true };
        var classField = new Option<string>("--class-field") { Description = "Metadata field holding the class of an item without labels", DefaultValueFactory = _ => "class" };
        var name = new Option<string?>("--name") { Description = "Dataset name (default: the folder's name)" };
        var provider = new Option<ExecutionPreference>("--provider") { Description = "ONNX Runtime provider for the backbones: Auto, Cuda or Cpu", DefaultValueFactory = _ => ExecutionPreference.Auto };
        var command = new Command("features", "Extract ResNet18 / MiniLM base features of two manifests into a feature dataset (train_*.npy, test_*.npy)")
        {
            train, test, output, classField, name, provider,
        };
        command.SetAction(parse => CliRunner.Run("features", false, loggers =>
        {
            var folder = parse.GetValue(output)!.FullName;
            var field = parse.GetValue(classField)!;
            var trainItems = Read(parse.GetValue(train)!, field);
            var testItems = Read(parse.GetValue(test)!, field);
            var classNames = trainItems.Select(i => i.Class).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (testItems.FirstOrDefault(i => Array.IndexOf(classNames, i.Class) < 0) is { } unknown)
            {
                throw new CommandFailedException(CliRunner.BadInput, $"{unknown.Where}: class '{unknown.Class}' has no training item");
            }
            var logger = loggers.CreateLogger("features");
            var sessions = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = parse.GetValue(provider) }, loggers.CreateLogger<OnnxSessionFactory>());
            using var backbones = new BackboneSet(sessions);
            Directory.CreateDirectory(folder);
            foreach (var (split, items) in new[] { ("train", trainItems), ("test", testItems) })
            {
                var rows = TerminalProgress.Run($"{split} images", items.Count, logger, report => items.Select((item, i) =>
                {
                    report(i + 1, item.Where);
                    return backbones.EmbedImage(File.ReadAllBytes(item.ImagePath));
                }).ToArray());
                var images = FeatureMatrix.FromRows(rows, rows[0].Length);
                var texts = backbones.EmbedTexts(items.Select(i => i.Text).ToArray());
                NpyWriter.Write(Path.Combine(folder, $"{split}_image.npy"), images);
                NpyWriter.Write(Path.Combine(folder, $"{split}_text.npy"), texts);
                NpyWriter.Write(Path.Combine(folder, $"{split}_labels.npy"), items.Select(i => Array.IndexOf(classNames, i.Class)).ToArray());
            }
            new DatasetInfo(parse.GetValue(name) ?? Path.GetFileName(folder), BackboneNames.ResNet18, BackboneNames.MiniLm, classNames)
                .Save(Path.Combine(folder, DatasetInfo.FileName));
            Console.Error.WriteLine($"features: {trainItems.Count} train and {testItems.Count} test items in {classNames.Length} classes written to {folder}");
            return 0;
        }));
        return command;
    }

    private sealed record Item(string Where, string ImagePath, string Text, string Class);

    // Every item needs an image, a text and a class: a refused line is bad input, named, never silently dropped.
    private static List<Item> Read(string path, string classField)
    {
        var source = ImportSource.Open(path);
        var items = new List<Item>();
        foreach (var entry in source.Entries)
        {
            if (entry.Problem is { } problem)
            {
                throw new CommandFailedException(CliRunner.BadInput, $"{entry.Where}: {problem}");
            }
            var item = entry.Item!;
            var label = item.Labels is [var first, ..] ? first : item.Metadata?.GetValueOrDefault(classField);
            if (entry.ImagePath is null || string.IsNullOrWhiteSpace(item.Text) || string.IsNullOrWhiteSpace(label))
            {
                throw new CommandFailedException(CliRunner.BadInput,
                    $"{entry.Where}: a feature dataset needs an image, a text and a class (labels, or metadata '{classField}') for every item");
            }
            items.Add(new Item(entry.Where, entry.ImagePath, item.Text, label));
        }
        if (items.Count == 0)
        {
            throw new CommandFailedException(CliRunner.BadInput, $"{source.Path}: no items");
        }
        return items;
    }
}
