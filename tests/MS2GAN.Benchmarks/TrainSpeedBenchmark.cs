using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Features.Data;
using MS2GAN.Model;
using MS2GAN.Model.Network;
using MS2GAN.Model.Training;

namespace MS2GAN.Benchmarks;

/// <summary>
/// <c>train-speed</c>: seconds per epoch of the TorchSharp trainer on the Wikipedia features with the default
/// configuration (each epoch: the batches, then the validation mAP), for comparison with bench/train_twin.py, the
/// same network in PyTorch. Options: --data DIR, --epochs N (10; the first is warm-up), --threads N (all cores), --json FILE.
/// </summary>
internal static class TrainSpeedBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var data = args.String("data") ?? Path.Combine("..", "shared", "data", "wikipedia");
        var epochs = args.Int("epochs", 10, 2);
        var threads = args.Int("threads", Environment.ProcessorCount);
        var jsonPath = args.String("json") ?? Path.Combine("artifacts", "bench", "train-speed.json");
        if (!File.Exists(Path.Combine(data, "train_labels.npy")))
        {
            throw new BenchUsageException($"no Wikipedia features at {Path.GetFullPath(data)}: pass --data DIR");
        }

        var dataset = FeatureDatasetLoader.Load(data);
        // The defaults, without early stopping (every epoch is timed) and without the refit (a second run).
        var config = new Ms2GanConfig { Epochs = epochs, Threads = threads, Patience = 0, Refit = false }.ForData(dataset.Train.Count);
        var reports = new List<EpochReport>();
        Console.WriteLine($"train-speed: TorchSharp, {epochs} epochs, batch {config.BatchSize}, {threads} threads, {dataset.Train.Count} training pairs");
        var result = new Ms2GanTrainer(config, NullLogger.Instance).Train(
            dataset.Train, dataset.ClassCount, new Features.Common.SynchronousProgress<EpochReport>(reports.Add));
        using var network = result.Network;
        using var discriminator = new ModalityDiscriminator(config.SharedDim, config.DiscriminatorHidden);
        var parameters = Count(network) + Count(discriminator);

        // Epoch times are the differences of the trainer's clock after each epoch; the first epoch is left out as warm-up.
        var seconds = reports.Select((r, i) => (r.Elapsed - (i == 0 ? TimeSpan.Zero : reports[i - 1].Elapsed)).TotalSeconds).ToArray();
        var measured = seconds.Skip(1).ToArray();
        var median = Percentiles.Of(Percentiles.Sorted(measured), 50);
        Console.WriteLine($"  seconds per epoch: median {median:F3} of epochs 2..{epochs} ({string.Join(", ", measured.Select(s => s.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}); {parameters:N0} parameters");
        var written = await BenchRun.WriteJsonAsync(jsonPath, new
        {
            machine = BenchRun.Machine,
            framework = "TorchSharp",
            threads,
            config.BatchSize,
            epochs,
            parameters,
            fitItems = result.FitItems,
            validationItems = result.ValidationItems,
            secondsPerEpoch = median,
            epochSeconds = seconds,
            lastValidationMap = reports[^1].ValidationMap,
        });
        Console.WriteLine($"results: {written}");
        return 0;
    }

    private static long Count(TorchSharp.torch.nn.Module module) => module.parameters().Sum(p => p.numel());
}
