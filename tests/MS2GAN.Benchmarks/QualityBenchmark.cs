using System.Globalization;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using MS2GAN.Model;
using MS2GAN.Model.Evaluation;
using MS2GAN.Model.Inference;
using MS2GAN.Model.Training;
using MS2GAN.TestSupport;

namespace MS2GAN.Benchmarks;

/// <summary>
/// <c>quality</c>: what `ms2gan train` and `evaluate` give over several seeds, as mean and standard deviation: for each
/// seed a model folder is built exactly as `train` builds it (the configuration's selection, refit and export), its ONNX
/// encoders score the evaluation split (joint with the model's weights, shared only, specific only, and joint at
/// 0.5 / 0.5) and predict the labels of its items (from the image, the text and both) through the exported probability
/// output. <c>--protocol test</c> trains on the train split and scores the test split; <c>--protocol dev</c> never reads
/// the test split: it holds out a stratified 20% of the train split (seeded by the seed) as a development set, trains on
/// the rest and scores that, for choosing settings.
/// Options: --data DIR, --seeds 1,2,3,4,5, --protocol test|dev, --config NAME (a named configuration; default), --set JSON
/// (overrides), --threads N (1), --json FILE, --name TEXT; --write-dev DIR writes each seed's development split as a
/// feature dataset (DIR/seedN: the rest of the train split as train_*.npy, the development items as test_*.npy) for the
/// peers, and stops.
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
        var threads = args.Int("threads", 1);
        var name = args.String("name") ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(data)));
        var baseConfig = NamedConfigurations.Compose(args.String("config"), args.String("set"));

        var dataset = FeatureDatasetLoader.Load(data);
        if (args.String("write-dev") is { } devRoot)
        {
            WriteDevSplits(dataset, seeds, devRoot);
            return 0;
        }
        Console.WriteLine($"quality: {name}, protocol {protocol}, seeds {string.Join(",", seeds)}, {dataset.Train.Count} train / {dataset.Test.Count} test pairs, " +
                          $"{dataset.ClassCount} classes, image {dataset.Train.Image.Columns}-d, text {dataset.Train.Text.Columns}-d; " +
                          $"configuration {args.String("config") ?? NamedConfigurations.Default}, overrides {args.String("set") ?? "none"}");
        var sessions = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cpu, IntraOpThreads = threads });
        var runs = new List<SeedRun>();
        using var work = new TempDirectory();
        foreach (var seed in seeds)
        {
            var config = baseConfig with { Seed = seed, Threads = threads };
            var evaluated = protocol == "test" ? dataset : DevDataset(dataset, seed);
            var run = RunSeed(config, evaluated, Path.Combine(work.Path, $"seed{seed}"), sessions);
            runs.Add(run);
            Console.WriteLine(run.Describe());
            if (args.Int("weight-curve", 0, 0, 1) == 1)
            {
                // For studying the weighting only: the evaluation split's joint mAP at every shared fraction (never used to choose).
                using var model = Ms2GanModel.Open(Path.Combine(work.Path, $"seed{seed}"), sessions);
                var evaluator = new RetrievalEvaluator(model.Encode(evaluated.Test));
                Console.WriteLine("    shared fraction 0..1: " + string.Join(" ", evaluator.WeightCurve().Select(v => v.ToString("F4", CultureInfo.InvariantCulture))));
                Console.WriteLine("    validation curve:     " + run.ValidationCurve);
            }
            Directory.Delete(Path.Combine(work.Path, $"seed{seed}"), recursive: true);
        }

        var summary = new Summary(
            Stats.Of(runs.Select(r => r.Report.Joint.Avg)), Stats.Of(runs.Select(r => r.Report.Shared.Avg)), Stats.Of(runs.Select(r => r.Report.Specific.Avg)),
            Stats.Of(runs.Select(r => r.Report.Joint.I2T)), Stats.Of(runs.Select(r => r.Report.Joint.T2I)), Stats.Of(runs.Select(r => r.HalfAndHalf)),
            Stats.Of(runs.Select(r => r.ValidationJoint)), Stats.Of(runs.Select(r => r.Labels.Image)), Stats.Of(runs.Select(r => r.Labels.Text)),
            Stats.Of(runs.Select(r => r.Labels.Both)), Stats.Of(runs.Select(r => (double)r.BestEpoch)), Stats.Of(runs.Select(r => r.Seconds)));
        Console.WriteLine($"{name} {protocol}: joint {summary.Joint}  shared {summary.Shared}  specific {summary.Specific}  " +
                          $"(i2t {summary.I2T.Mean:F4}, t2i {summary.T2I.Mean:F4}; at 0.5/0.5 {summary.HalfAndHalf.Mean:F4}); validation {summary.Validation}; " +
                          $"label accuracy image {summary.LabelsImage.Mean:F4}, text {summary.LabelsText.Mean:F4}, both {summary.LabelsBoth}; " +
                          $"best epoch {summary.BestEpoch.Mean:F0}; {summary.Seconds.Mean:F0} s a seed");
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
                configuration = args.String("config") ?? NamedConfigurations.Default,
                overrides = args.String("set"),
                config = baseConfig,
                trainItems = dataset.Train.Count,
                testItems = dataset.Test.Count,
                classes = dataset.ClassCount,
                imageDim = dataset.Train.Image.Columns,
                textDim = dataset.Train.Text.Columns,
                summary,
                runs,
            }, camelCase: true);
            Console.WriteLine($"results: {written}");
        }
        return 0;
    }

    private static SeedRun RunSeed(Ms2GanConfig config, FeatureDataset dataset, string folder, OnnxSessionFactory sessions)
    {
        var log = new ListLogger<Ms2GanModelBuilder>();
        var manifest = new Ms2GanModelBuilder(log).Build(dataset, config, folder);
        var curve = log.Messages.FirstOrDefault(m => m.StartsWith(Ms2GanTrainer.ValidationCurveLog, StringComparison.Ordinal));
        using var model = Ms2GanModel.Open(folder, sessions);
        var report = model.Evaluate(dataset.Test);
        var halfAndHalf = model.Evaluate(dataset.Test, Ms2GanTrainer.SelectionWeights).Joint.Avg;
        double Accuracy(IReadOnlyList<LabelPrediction> predicted) => predicted.Where((p, i) => p.ClassIndex == dataset.Test.Labels[i]).Count() / (double)predicted.Count;
        var labels = new LabelAccuracy(
            Accuracy(model.PredictLabels(dataset.Test.Image, null)),
            Accuracy(model.PredictLabels(null, dataset.Test.Text)),
            Accuracy(model.PredictLabels(dataset.Test.Image, dataset.Test.Text)));
        return new SeedRun(config.Seed, report, halfAndHalf, manifest.Metrics.Validation.Joint.Avg, report.Weights, manifest.Training.BestEpoch,
            manifest.Training.EpochsRun, manifest.Training.RefitItems is not null, labels, manifest.Training.Seconds)
        {
            ValidationCurve = curve?[Ms2GanTrainer.ValidationCurveLog.Length..] ?? "",
        };
    }

    private static FeatureDataset DevDataset(FeatureDataset dataset, int seed)
    {
        var split = ValidationSplit.Stratified(dataset.Train.Labels, DevFraction, 7919 + seed);
        FeatureSplit Rows(int[] rows) => new(dataset.Train.Image.SelectRows(rows), dataset.Train.Text.SelectRows(rows), rows.Select(i => dataset.Train.Labels[i]).ToArray());
        return dataset with { Train = Rows(split.Fit), Test = Rows(split.Validation) };
    }

    private static void WriteDevSplits(FeatureDataset dataset, int[] seeds, string root)
    {
        foreach (var seed in seeds)
        {
            var dev = DevDataset(dataset, seed);
            var folder = Path.Combine(root, $"seed{seed}");
            Directory.CreateDirectory(folder);
            NpyWriter.WriteSplit(folder, "train", dev.Train);
            NpyWriter.WriteSplit(folder, "test", dev.Test);
            dataset.Info.Save(Path.Combine(folder, DatasetInfo.FileName));
            Console.WriteLine($"development split of seed {seed}: {dev.Train.Count} train, {dev.Test.Count} development items in {folder}");
        }
    }

    /// <summary>Predicted-label accuracy on the evaluation items from the image, the text and both.</summary>
    internal sealed record LabelAccuracy(double Image, double Text, double Both);

    internal sealed record SeedRun(int Seed, RetrievalReport Report, double HalfAndHalf, double ValidationJoint, RetrievalWeights Weights,
        int BestEpoch, int EpochsRun, bool Refit, LabelAccuracy Labels, double Seconds)
    {
        /// <summary>The validation split's mAP at every shared fraction, as the trainer logged it.</summary>
        public string ValidationCurve { get; init; } = "";

        public string Describe() =>
            $"  seed {Seed}: joint {Report.Joint.Avg:F4} (i2t {Report.Joint.I2T:F4}, t2i {Report.Joint.T2I:F4}), shared {Report.Shared.Avg:F4}, " +
            $"specific {Report.Specific.Avg:F4}, weights {Weights.Specific}/{Weights.Shared}; validation {ValidationJoint:F4}; " +
            $"best epoch {BestEpoch}/{EpochsRun}; label accuracy {(Labels.Image + Labels.Text) / 2:F3} (both {Labels.Both:F3}); {Seconds:F0} s; " +
            $"joint at 0.5/0.5 {HalfAndHalf:F4}";
    }

    internal sealed record Summary(Stats Joint, Stats Shared, Stats Specific, Stats I2T, Stats T2I, Stats HalfAndHalf, Stats Validation,
        Stats LabelsImage, Stats LabelsText, Stats LabelsBoth, Stats BestEpoch, Stats Seconds);

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

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ms2gan-quality-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
