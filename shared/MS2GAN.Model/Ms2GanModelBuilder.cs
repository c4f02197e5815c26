using System.Security.Cryptography;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using MS2GAN.Features.Data;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Evaluation;
using MS2GAN.Model.Export;
using MS2GAN.Model.Plots;
using MS2GAN.Model.Training;
using static TorchSharp.torch;

namespace MS2GAN.Model;

/// <summary>
/// Trains a model on a feature dataset and writes the complete model folder: both ONNX encoders, the
/// TorchSharp checkpoint, the training curves and the manifest. The test split is scored only after the
/// model has been selected on validation, and only to be recorded.
/// </summary>
public sealed class Ms2GanModelBuilder(ILogger logger)
{
    /// <summary>Trains, exports and writes the model folder atomically; returns its manifest.</summary>
    public ModelManifest Build(FeatureDataset dataset, Ms2GanConfig config, string outputDirectory, bool overwrite = false,
        IProgress<EpochReport>? progress = null, CancellationToken cancellation = default)
    {
        var result = new Ms2GanTrainer(config, logger).Train(dataset.Train, dataset.ClassCount, progress, cancellation);
        using var network = result.Network;
        var imageSpec = network.ToEncoderSpec("image", result.ImageNormalizer.Mean, result.ImageNormalizer.Scale);
        var textSpec = network.ToEncoderSpec("text", result.TextNormalizer.Mean, result.TextNormalizer.Scale);

        RetrievalReport? test = null;
        if (dataset.Test.Count > 0)
        {
            using var image = Ms2GanTrainer.ToTensor(result.ImageNormalizer.Apply(dataset.Test.Image));
            using var text = Ms2GanTrainer.ToTensor(result.TextNormalizer.Apply(dataset.Test.Text));
            test = Ms2GanTrainer.Evaluate(network, image, text, dataset.Test.Labels).Report(result.Validation.Weights);
            logger.LogInformation("Test split (recorded, not used for selection): joint mAP {Joint:F4}, i2t {I2T:F4}, t2i {T2I:F4}",
                test.Joint.Avg, test.Joint.I2T, test.Joint.T2I);
        }

        var manifest = ModelFolder.Write(outputDirectory, overwrite, folder =>
        {
            OnnxExporter.Export(imageSpec, Path.Combine(folder, ModelRoles.FileNames[ModelRoles.ImageEncoder]));
            OnnxExporter.Export(textSpec, Path.Combine(folder, ModelRoles.FileNames[ModelRoles.TextEncoder]));
            network.save(Path.Combine(folder, ModelRoles.FileNames[ModelRoles.Checkpoint]));
            TrainingCurvesPlot.Save(result.History, result.BestEpoch, Path.Combine(folder, ModelRoles.FileNames[ModelRoles.Curves]));
            return new ModelManifest
            {
                Version = VersionId(folder),
                CreatedUtc = DateTimeOffset.UtcNow,
                FeatureSpace = new FeatureSpace(dataset.Info.ImageFeatures, dataset.Train.Image.Columns, dataset.Info.TextFeatures, dataset.Train.Text.Columns),
                ClassCount = dataset.ClassCount,
                ClassNames = dataset.Info.ClassNames,
                ImageNormalization = result.ImageNormalizer,
                TextNormalization = result.TextNormalizer,
                SpecificDim = config.SpecificDim,
                SharedDim = config.SharedDim,
                DefaultWeights = result.Validation.Weights,
                Config = config,
                Metrics = new ModelMetrics(result.Validation, test),
                Training = new TrainingInfo(
                    dataset.Info.Name, Fingerprint(dataset.Train), result.FitItems, result.ValidationItems, dataset.Test.Count,
                    result.History.Count, result.BestEpoch, Math.Round(result.Duration.TotalSeconds, 2), get_num_threads()),
                Files = new Dictionary<string, ModelFile>(),
            };
        });
        logger.LogInformation("Model {Version} written to {Directory}", manifest.Version, Path.GetFullPath(outputDirectory));
        return manifest;
    }

    /// <summary>SHA-256 over the training features and labels, so a model can say exactly what it learned from.</summary>
    public static string Fingerprint(FeatureSplit split)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(split.Image.Columns));
        hash.AppendData(MemoryMarshal.AsBytes(split.Image.Values.AsSpan()));
        hash.AppendData(BitConverter.GetBytes(split.Text.Columns));
        hash.AppendData(MemoryMarshal.AsBytes(split.Text.Values.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(split.Labels.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // The time and 8 hex digits of a hash over the encoders and a fresh nonce. The nonce matters: training is
    // deterministic, so two retrains on the same items can write byte-identical encoders in the same second, and
    // they must still be two versions (the registry keys its entries by version).
    private static string VersionId(string folder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Guid.NewGuid().ToByteArray());
        foreach (var role in new[] { ModelRoles.ImageEncoder, ModelRoles.TextEncoder })
        {
            hash.AppendData(File.ReadAllBytes(Path.Combine(folder, ModelRoles.FileNames[role])));
        }
        return $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(hash.GetHashAndReset())[..8]}";
    }
}
