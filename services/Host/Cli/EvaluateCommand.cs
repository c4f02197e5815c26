using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Evaluation;
using MS2GAN.Model.Inference;
using MS2GAN.Model.Plots;

namespace MS2GAN.Host.Cli;

/// <summary>`ms2gan evaluate`: cross-modal mAP of a model folder on a dataset split, through the ONNX encoders.</summary>
public static class EvaluateCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model folder", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "Feature dataset folder", Required = true };
        var split = new Option<string>("--split") { Description = "Which split to score: test or train", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "train");
        var json = new Option<bool>("--json") { Description = "Print one JSON object on standard output (logs stay on standard error)" };
        var specific = new Option<double?>("--specific-weight") { Description = "Weight of specific similarity (default: the model's)" };
        var shared = new Option<double?>("--shared-weight") { Description = "Weight of shared similarity (default: the model's)" };
        var provider = new Option<ExecutionPreference>("--provider") { Description = "ONNX Runtime provider: Auto, Cuda or Cpu", DefaultValueFactory = _ => ExecutionPreference.Auto };
        var plots = new Option<DirectoryInfo?>("--plots")
        {
            Description = $"Also write {RetrievalPlots.PrecisionRecallFile} (both directions) and {RetrievalPlots.PerClassFile} into this folder",
        };
        var command = new Command("evaluate", "Score a model: image->text and text->image mAP, with the shared/specific/joint ablation")
        {
            model, data, split, json, specific, shared, provider, plots,
        };
        command.SetAction(parse => CliRunner.Run("evaluate", false, loggers =>
        {
            var sessions = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = parse.GetValue(provider) }, loggers.CreateLogger<OnnxSessionFactory>());
            using var opened = Ms2GanModel.Open(parse.GetValue(model)!.FullName, sessions, loggers);
            var directory = parse.GetValue(data)!.FullName;
            var prefix = parse.GetValue(split)!;
            var features = FeatureDatasetLoader.LoadSplit(directory, prefix);
            foreach (var (modality, dim) in new[] { ("image", features.Image.Columns), ("text", features.Text.Columns) })
            {
                if (opened.Mismatch(modality, dim) is { } problem)
                {
                    throw new DataFormatException(Path.Combine(directory, $"{prefix}_{modality}.npy"), problem);
                }
            }
            var defaults = opened.Manifest.DefaultWeights;
            var weights = new RetrievalWeights(parse.GetValue(specific) ?? defaults.Specific, parse.GetValue(shared) ?? defaults.Shared).Validate();
            var evaluator = new RetrievalEvaluator(opened.Encode(features));
            var report = evaluator.Report(weights);
            if (parse.GetValue(plots) is { } folder)
            {
                var files = RetrievalPlots.Save(evaluator.Curves(weights), DatasetInfo.Load(directory).ClassNames,
                    $"{opened.Manifest.Version}, {prefix} of {Path.GetFileName(directory)}", folder.FullName);
                Console.Error.WriteLine($"plots: {string.Join(", ", files)}");
            }
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    model = opened.Manifest.Version,
                    data = directory,
                    split = prefix,
                    items = report.Items,
                    provider = opened.Image.Provider,
                    weights = report.Weights,
                    i2t = report.Joint.I2T,
                    t2i = report.Joint.T2I,
                    avg = report.Joint.Avg,
                    ablation = new { shared = report.Shared, specific = report.Specific, joint = report.Joint },
                }, ModelManifest.JsonOptions));
            }
            else
            {
                Console.Out.Write(ModelSummary.Table($"{prefix} of {Path.GetFileName(directory)}", report));
            }
            return 0;
        }));
        return command;
    }
}
