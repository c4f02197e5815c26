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
/// Trains a model on a feature dataset and writes the complete model folder: both ONNX encoders (with the class
/// probability output), the TorchSharp checkpoint, the training curves and the manifest. The epoch count and the
/// retrieval weights are chosen on a validation split of the training items; with <see cref="Ms2GanConfig.Refit"/> the
/// exported network is then trained again on all of them for that many epochs. The test split is scored only after
/// the model has been selected, and only to be recorded.
/// </summary>
public sealed class Ms2GanModelBuilder(ILogger logger)
{
    /// <summary>Trains (selection, then the refit when the configuration asks for it), exports and writes the model folder atomically; returns its manifest.</summary>
    public ModelManifest Build(FeatureDataset dataset, Ms2GanConfig config, string outputDirectory, bool overwrite = false,
        IProgress<EpochReport>? progress = null, CancellationToken cancellation = default)
    {
        var trainer = new Ms2GanTrainer(config, logger);
        var result = trainer.Train(dataset.Train, dataset.ClassCount, progress, cancellation);
        config = trainer.Effective;   // the manifest records what ran, fields left to the data included
        if (!config.Refit)
        {
            using var selected = result.Network;
            return Write(dataset, config, outputDirectory, overwrite, result, selected, result.ImageNormalizer, result.TextNormalizer, null,
                result.Duration);
        }
        result.Network.Dispose();
        var fitted = trainer.Fit(dataset.Train, dataset.ClassCount, result.BestEpoch, progress: null, cancellation);
        using var network = fitted.Network;
        return Write(dataset, config, outputDirectory, overwrite, result, network, fitted.ImageNormalizer, fitted.TextNormalizer, fitted,
            result.Duration + fitted.Duration);
    }

    /// <summary>
    /// Trains a model on every training item of <paramref name="dataset"/> with the configuration, the epoch count and the
    /// retrieval weights of <paramref name="selected"/> (a model chosen on validation, for instance one that passed a
    /// quality gate on items it did not train on, which <paramref name="dataset"/> now includes) and writes it. Its
    /// manifest carries the selected model's validation figures: the refit has no validation split of its own.
    /// </summary>
    public ModelManifest Refit(FeatureDataset dataset, ModelManifest selected, string outputDirectory, bool overwrite = false,
        CancellationToken cancellation = default)
    {
        if (selected.FeatureSpace.Mismatch("image", dataset.Train.Image.Columns) is { } imageProblem)
        {
            throw new ArgumentException(imageProblem, nameof(dataset));
        }
        if (selected.FeatureSpace.Mismatch("text", dataset.Train.Text.Columns) is { } textProblem)
        {
            throw new ArgumentException(textProblem, nameof(dataset));
        }
        if (dataset.ClassCount != selected.ClassCount)
        {
            throw new ArgumentException($"the dataset has {dataset.ClassCount} classes, the selected model {selected.ClassCount}", nameof(dataset));
        }
        var epochs = selected.Training.RefitEpochs ?? selected.Training.BestEpoch;
        var fitted = new Ms2GanTrainer(selected.Config, logger).Fit(dataset.Train, dataset.ClassCount, epochs, progress: null, cancellation);
        using var network = fitted.Network;
        var selection = new TrainingResult(network, fitted.ImageNormalizer, fitted.TextNormalizer, [], selected.Training.BestEpoch,
            selected.Metrics.Validation, selected.Training.FitItems, selected.Training.ValidationItems, TimeSpan.Zero)
        {
            EpochsRun = selected.Training.EpochsRun,
        };
        return Write(dataset, selected.Config, outputDirectory, overwrite, selection, network, fitted.ImageNormalizer, fitted.TextNormalizer,
            fitted, fitted.Duration);
    }

    private ModelManifest Write(FeatureDataset dataset, Ms2GanConfig config, string outputDirectory, bool overwrite, TrainingResult selection,
        Network.Ms2GanNetwork network, FeatureNormalizer imageNormalizer, FeatureNormalizer textNormalizer, FittedNetwork? refit, TimeSpan duration)
    {
        var imageSpec = network.ToEncoderSpec("image", imageNormalizer);
        var textSpec = network.ToEncoderSpec("text", textNormalizer);
        var weights = selection.Validation.Weights;

        RetrievalReport? test = null;
        if (dataset.Test.Count > 0)
        {
            using var image = Ms2GanTrainer.ToTensor(imageNormalizer.Apply(dataset.Test.Image));
            using var text = Ms2GanTrainer.ToTensor(textNormalizer.Apply(dataset.Test.Text));
            test = Ms2GanTrainer.Evaluate(network, image, text, dataset.Test.Labels).Report(weights);
            logger.LogInformation("Test split (recorded, not used for selection): joint mAP {Joint:F4}, i2t {I2T:F4}, t2i {T2I:F4}",
                test.Joint.Avg, test.Joint.I2T, test.Joint.T2I);
        }

        var manifest = ModelFolder.Write(outputDirectory, overwrite, folder =>
        {
            OnnxExporter.Export(imageSpec, Path.Combine(folder, ModelRoles.FileNames[ModelRoles.ImageEncoder]));
            OnnxExporter.Export(textSpec, Path.Combine(folder, ModelRoles.FileNames[ModelRoles.TextEncoder]));
            network.save(Path.Combine(folder, ModelRoles.FileNames[ModelRoles.Checkpoint]));
            var history = selection.History.Count > 0 ? selection.History : refit?.History ?? [];
            TrainingCurvesPlot.Save(history, selection.History.Count > 0 ? selection.BestEpoch : 0, Path.Combine(folder, ModelRoles.FileNames[ModelRoles.Curves]));
            return new ModelManifest
            {
                Version = VersionId(folder),
                CreatedUtc = DateTimeOffset.UtcNow,
                FeatureSpace = new FeatureSpace(dataset.Info.ImageFeatures, dataset.Train.Image.Columns, dataset.Info.TextFeatures, dataset.Train.Text.Columns),
                ClassCount = dataset.ClassCount,
                ClassNames = dataset.Info.ClassNames,
                ImageNormalization = imageNormalizer,
                TextNormalization = textNormalizer,
                SpecificDim = config.SpecificDim,
                SharedDim = config.SharedDim,
                DefaultWeights = weights,
                Config = config,
                Metrics = new ModelMetrics(selection.Validation, test),
                Training = new TrainingInfo(
                    dataset.Info.Name, Fingerprint(dataset.Train), selection.FitItems, selection.ValidationItems, dataset.Test.Count,
                    selection.EpochsRun, selection.BestEpoch, Math.Round(duration.TotalSeconds, 2), get_num_threads(),
                    refit?.Items, refit?.History.Count),
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
