using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Features.Data;
using MS2GAN.Model;
using MS2GAN.Model.Evaluation;
using MS2GAN.Model.Network;
using MS2GAN.Model.Training;
using static TorchSharp.torch;

namespace MS2GAN.Benchmarks;

/// <summary>
/// <c>quality</c>: MS2GAN's retrieval quality over several seeds, mean and standard deviation, with the ablation
/// (joint, shared only, specific only), the validation figure, the epochs chosen and the predicted-label accuracy.
/// <c>--protocol test</c> trains on the train split and scores the test split; <c>--protocol dev</c> never reads the
/// test split: it holds out a stratified 20% of the train split (seeded by the seed) as a development set, trains on the
/// rest and scores that, for choosing settings. <c>--refit 1</c> also trains on all the training items (fit and
/// validation) for the epochs the selection chose and scores that model beside the selected one.
/// Options: --data DIR, --seeds 1,2,3,4,5, --protocol test|dev, --config NAME, --set JSON (overrides), --threads N (1),
/// --refit 0|1, --json FILE, --name TEXT; --write-dev DIR writes each seed's development split as a feature dataset
/// (DIR/seedN: the rest of the train split as train_*.npy, the development items as test_*.npy) for the peers, and stops.
/// </summary>
internal static class QualityBenchmark
{
    private const double DevFraction = 0.2;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var data = args.String("data") ?? throw new BenchUsageException("--data DIR is required");
        var seeds = (args.String("seeds") ?? "1,2,3,4,5").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var protocol = args.String("protocol") ?? "test";
        if (protocol is not ("test" or "dev"))
        {
            throw new BenchUsageException($"--protocol must be test or dev, got '{protocol}'");
        }
        var refit = args.Int("refit", 0, 0, 1) == 1;
        var threads = args.Int("threads", 1);
        var name = args.String("name") ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(data)));
        var baseConfig = new Ms2GanConfig();
        if (args.String("set") is { } overrides)
        {
            baseConfig = baseConfig.Overlay(overrides);
        }

        var dataset = FeatureDatasetLoader.Load(data);
        if (args.String("write-dev") is { } devRoot)
        {
            foreach (var seed in seeds)
            {
                var (fit, dev) = DevSplit(dataset.Train, seed);
                var folder = Path.Combine(devRoot, $"seed{seed}");
                Directory.CreateDirectory(folder);
                foreach (var (prefix, split) in new[] { ("train", fit), ("test", dev) })
                {
                    NpyWriter.Write(Path.Combine(folder, $"{prefix}_image.npy"), split.Image);
                    NpyWriter.Write(Path.Combine(folder, $"{prefix}_text.npy"), split.Text);
                    NpyWriter.Write(Path.Combine(folder, $"{prefix}_labels.npy"), split.Labels);
                }
                dataset.Info.Save(Path.Combine(folder, DatasetInfo.FileName));
                Console.WriteLine($"development split of seed {seed}: {fit.Count} train, {dev.Count} development items in {folder}");
            }
            return 0;
        }
        Console.WriteLine($"quality: {name}, protocol {protocol}, seeds {string.Join(",", seeds)}, {dataset.Train.Count} train / {dataset.Test.Count} test pairs, " +
                          $"{dataset.ClassCount} classes, image {dataset.Train.Image.Columns}-d, text {dataset.Train.Text.Columns}-d; overrides {args.String("set") ?? "none"}");
        var runs = new List<SeedRun>();
        foreach (var seed in seeds)
        {
            var config = baseConfig with { Seed = seed, Threads = threads };
            var (train, eval) = protocol == "test" ? (dataset.Train, dataset.Test) : DevSplit(dataset.Train, seed);
            var run = RunSeed(config, train, eval, dataset.ClassCount, refit);
            runs.Add(run);
            Console.WriteLine(run.Describe());
        }

        var summary = new
        {
            joint = Stats.Of(runs.Select(r => r.Selected.Joint.Avg)),
            shared = Stats.Of(runs.Select(r => r.Selected.Shared.Avg)),
            specific = Stats.Of(runs.Select(r => r.Selected.Specific.Avg)),
            i2t = Stats.Of(runs.Select(r => r.Selected.Joint.I2T)),
            t2i = Stats.Of(runs.Select(r => r.Selected.Joint.T2I)),
            validation = Stats.Of(runs.Select(r => r.ValidationJoint)),
            labelAccuracy = Stats.Of(runs.Select(r => r.LabelAccuracy)),
            bestEpoch = Stats.Of(runs.Select(r => (double)r.BestEpoch)),
            refitJoint = refit ? Stats.Of(runs.Select(r => r.Refit!.Joint.Avg)) : null,
            refitLabelAccuracy = refit ? Stats.Of(runs.Select(r => r.RefitLabelAccuracy!.Value)) : null,
        };
        Console.WriteLine($"{name} {protocol}: joint {summary.joint}  shared {summary.shared}  specific {summary.specific}  " +
                          $"(i2t {summary.i2t.Mean:F4}, t2i {summary.t2i.Mean:F4}); validation {summary.validation}; label accuracy {summary.labelAccuracy}; " +
                          $"best epoch {summary.bestEpoch.Mean:F0}" + (refit ? $"; refit joint {summary.refitJoint}, label accuracy {summary.refitLabelAccuracy}" : ""));
        if (args.String("json") is { } jsonPath)
        {
            var written = await BenchRun.WriteJsonAsync(jsonPath, new
            {
                machine = BenchRun.Machine,
                name,
                data = Path.GetFullPath(data),
                protocol,
                seeds,
                threads,
                overrides = args.String("set"),
                config = baseConfig,
                trainItems = dataset.Train.Count,
                testItems = dataset.Test.Count,
                classes = dataset.ClassCount,
                imageDim = dataset.Train.Image.Columns,
                textDim = dataset.Train.Text.Columns,
                summary,
                runs = runs.Select(r => r.ToJson()),
            });
            Console.WriteLine($"results: {written}");
        }
        return 0;
    }

    private static (FeatureSplit Train, FeatureSplit Dev) DevSplit(FeatureSplit train, int seed)
    {
        var split = ValidationSplit.Stratified(train.Labels, DevFraction, 7919 + seed);
        FeatureSplit Rows(int[] rows) => new(train.Image.SelectRows(rows), train.Text.SelectRows(rows), rows.Select(i => train.Labels[i]).ToArray());
        return (Rows(split.Fit), Rows(split.Validation));
    }

    private static SeedRun RunSeed(Ms2GanConfig config, FeatureSplit train, FeatureSplit eval, int classCount, bool refit)
    {
        var trainer = new Ms2GanTrainer(config, NullLogger.Instance);
        var result = trainer.Train(train, classCount);
        RetrievalReport selected;
        double accuracy, halfAndHalf;
        using (var network = result.Network)
        {
            (selected, accuracy) = Score(network, result.ImageNormalizer, result.TextNormalizer, eval, result.Validation.Weights);
            halfAndHalf = Score(network, result.ImageNormalizer, result.TextNormalizer, eval, Ms2GanTrainer.SelectionWeights).Report.Joint.Avg;
        }
        RetrievalReport? refitReport = null;
        double? refitAccuracy = null;
        var refitSeconds = 0.0;
        if (refit)
        {
            var fitted = trainer.Fit(train, classCount, result.BestEpoch);
            using var network = fitted.Network;
            (var report, var acc) = Score(network, fitted.ImageNormalizer, fitted.TextNormalizer, eval, result.Validation.Weights);
            refitReport = report;
            refitAccuracy = acc;
            refitSeconds = fitted.Duration.TotalSeconds;
        }
        return new SeedRun(config.Seed, selected, result.Validation.Joint.Avg, result.Validation.Weights, result.BestEpoch, result.History.Count,
            accuracy, result.Duration.TotalSeconds, refitReport, refitAccuracy, refitSeconds, halfAndHalf);
    }

    private static (RetrievalReport Report, double LabelAccuracy) Score(Ms2GanNetwork network, FeatureNormalizer imageNormalizer,
        FeatureNormalizer textNormalizer, FeatureSplit eval, RetrievalWeights weights)
    {
        using var image = Ms2GanTrainer.ToTensor(imageNormalizer.Apply(eval.Image));
        using var text = Ms2GanTrainer.ToTensor(textNormalizer.Apply(eval.Text));
        var report = Ms2GanTrainer.Evaluate(network, image, text, eval.Labels).Report(weights);
        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var correct = 0L;
        foreach (var features in new[] { ("image", image), ("text", text) })
        {
            var (specific, shared) = network.Encode(features.Item1, features.Item2);
            var predicted = network.Probabilities(specific, shared).argmax(1).data<long>().ToArray();
            correct += predicted.Where((p, i) => p == eval.Labels[i]).Count();
        }
        return (report, correct / (2.0 * eval.Count));
    }

    private sealed record SeedRun(int Seed, RetrievalReport Selected, double ValidationJoint, RetrievalWeights Weights, int BestEpoch, int EpochsRun,
        double LabelAccuracy, double Seconds, RetrievalReport? Refit, double? RefitLabelAccuracy, double RefitSeconds, double HalfAndHalf)
    {
        public string Describe() =>
            $"  seed {Seed}: joint {Selected.Joint.Avg:F4} (i2t {Selected.Joint.I2T:F4}, t2i {Selected.Joint.T2I:F4}), shared {Selected.Shared.Avg:F4}, " +
            $"specific {Selected.Specific.Avg:F4}, weights {Weights.Specific}/{Weights.Shared}; validation {ValidationJoint:F4}; " +
            $"best epoch {BestEpoch}/{EpochsRun}; label accuracy {LabelAccuracy:F3}; {Seconds:F0} s" +
            (Refit is null ? "" : $"; refit joint {Refit.Joint.Avg:F4}, label accuracy {RefitLabelAccuracy:F3}, {RefitSeconds:F0} s") +
            $"; joint at 0.5/0.5 {HalfAndHalf:F4}";

        public object ToJson() => new
        {
            seed = Seed,
            joint = Selected.Joint,
            shared = Selected.Shared,
            specific = Selected.Specific,
            weights = Weights,
            validationJoint = ValidationJoint,
            bestEpoch = BestEpoch,
            epochsRun = EpochsRun,
            labelAccuracy = LabelAccuracy,
            seconds = Seconds,
            refitJoint = Refit?.Joint,
            refitLabelAccuracy = RefitLabelAccuracy,
            jointHalfAndHalf = HalfAndHalf,
        };
    }

    /// <summary>Mean, sample standard deviation, minimum and maximum of a figure over seeds.</summary>
    internal sealed record Stats(double Mean, double Std, double Min, double Max, int N)
    {
        public static Stats Of(IEnumerable<double> values)
        {
            var v = values.ToArray();
            var mean = v.Average();
            var std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
            return new Stats(mean, std, v.Min(), v.Max(), v.Length);
        }

        public override string ToString() => $"{Mean:F4} ± {Std:F4} (min {Min:F4})";
    }
}
