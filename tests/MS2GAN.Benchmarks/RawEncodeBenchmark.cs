using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Features.Demo;
using MS2GAN.Features.Onnx;
using MS2GAN.Model;
using MS2GAN.Model.Inference;

namespace MS2GAN.Benchmarks;

/// <summary>
/// Raw mode of <c>encode</c>: demo images (PNG) and captions through the encoder service's path (BackboneSet: decode,
/// draw, ResNet18 in batches on a lane per core, or tokenize, MiniLM, pool; then the MS2GAN
/// encoder in one batch) against the bare backbone sessions alone on inputs prepared beforehand (ResNet18: the
/// package's two graphs at batch 1 on the same images as 224x224 planar frames, <see cref="BareResNet"/>; MiniLM: its
/// session on the same token batches). Every figure is the median of <c>rounds</c> alternating rounds, so that both
/// sides see the same load. The image path is also measured one image at a time (BackboneSet.EmbedImage, as search
/// embeds a query), with where each image's time goes (<see cref="ImageStageTimes"/>), and, when batch sizes are
/// given, at each batch size. The MS2GAN model is trained for one epoch on random features of the backbones' widths:
/// its speed does not depend on its weights.
/// </summary>
internal static class RawEncodeBenchmark
{
    private const int TextBatch = 32;

    private const int ResNetDim = 512;

    public static object Run(OnnxSessionFactory sessions, int images, int texts, int rounds, IReadOnlyList<int> batchSizes, bool sessionSweep = false)
    {
        var samples = Enumerable.Range(0, Math.Max(images, texts)).Select(i => DemoDataGenerator.CreateSample(i % 10, i / 10, seed: 3)).ToArray();
        var pngs = samples.Take(images).Select(s => s.Png).ToArray();
        var encoded = pngs.Select(p => (ReadOnlyMemory<byte>)p).ToArray();
        var captions = samples.Take(texts).Select(s => s.Caption).ToArray();
        var folder = Directory.CreateTempSubdirectory("ms2gan-encode-");
        try
        {
            using var model = Ms2GanModel.Open(TrainRandomModel(folder.FullName), sessions);
            using var backbones = new BackboneSet(sessions);
            using var bare = new BareResNet(sessions, pngs);
            Console.WriteLine($"encode: raw mode, {images} demo images ({DemoDataGenerator.ImageSize}x{DemoDataGenerator.ImageSize} PNG), {texts} captions, " +
                $"text batches of {TextBatch}, {rounds} alternating rounds (medians)");

            // Untimed: loads the backbones and lets each session plan its memory for these shapes.
            backbones.EmbedImages(encoded.Take(ResNet18Backbone.DefaultBatchSize * 2).ToArray());
            backbones.EmbedImage(pngs[0]);
            using var bareText = texts > 0 ? new BareMiniLm(sessions, captions, TextBatch) : null;
            if (texts > 0)
            {
                backbones.EmbedTexts(captions.Take(TextBatch).ToList());
            }

            var bareImages = new List<double>();
            var batchedImages = new List<double>();
            var singleImages = new List<double>();
            var batchedStages = new List<ImageStageTimes>();
            var singleStages = new List<ImageStageTimes>();
            var pipelineTexts = new List<double>();
            var bareTexts = new List<double>();
            void Bare() => bareImages.Add(bare.Rate());
            void Batched()
            {
                var before = backbones.ImageStageTimes!;
                var clock = Stopwatch.StartNew();
                var results = backbones.EmbedImages(encoded);
                model.Encode("image", FeatureMatrix.FromRows([.. results.Select(r => r.Features ?? throw new InvalidOperationException(r.Error))], ResNetDim));
                batchedImages.Add(images / clock.Elapsed.TotalSeconds);
                batchedStages.Add(backbones.ImageStageTimes!.Since(before));
            }
            void OneAtATime()
            {
                var before = backbones.ImageStageTimes!;
                var clock = Stopwatch.StartNew();
                var rows = pngs.Select(p => backbones.EmbedImage(p)).ToList();
                model.Encode("image", FeatureMatrix.FromRows(rows, ResNetDim));
                singleImages.Add(images / clock.Elapsed.TotalSeconds);
                singleStages.Add(backbones.ImageStageTimes!.Since(before));
            }
            Action[] imageSides = [Bare, Batched, OneAtATime];
            for (var round = 0; round < rounds; round++)
            {
                // Each round starts with another side, so that none is always measured first after the text part.
                for (var side = 0; side < imageSides.Length; side++)
                {
                    imageSides[(round + side) % imageSides.Length]();
                }
                if (bareText is not null)
                {
                    var clock = Stopwatch.StartNew();
                    if (round % 2 == 0)
                    {
                        bareTexts.Add(bareText.Rate());
                    }
                    clock.Restart();
                    model.Encode("text", backbones.EmbedTexts(captions));
                    pipelineTexts.Add(texts / clock.Elapsed.TotalSeconds);
                    if (round % 2 == 1)
                    {
                        bareTexts.Add(bareText.Rate());
                    }
                }
            }

            var (bareRate, batchedRate, singleRate) = (Median(bareImages), Median(batchedImages), Median(singleImages));
            // Each round's own ratio pairs measurements taken seconds apart, under about the same load.
            var (batchedRatio, singleRatio) = (Median(PerRound(batchedImages, bareImages)), Median(PerRound(singleImages, bareImages)));
            Console.WriteLine($"  images: pipeline in batches of {ResNet18Backbone.DefaultBatchSize} {batchedRate:N1}/s, one at a time {singleRate:N1}/s; " +
                $"bare ResNet18 sessions (batch 1, prepared frames) {bareRate:N1}/s; median of the rounds' ratios {batchedRatio:F2} and {singleRatio:F2} " +
                $"(batched faster than bare in {Wins(batchedImages, bareImages)}/{rounds} rounds)");
            var stages = new
            {
                batched = StageRow.Of(MedianRound(batchedStages, batchedImages), batchedRate),
                oneAtATime = StageRow.Of(MedianRound(singleStages, singleImages), singleRate),
                bareSessionMs = 1000 / bareRate,
            };
            StageRow.Print(stages.oneAtATime, stages.batched, stages.bareSessionMs, ResNet18Backbone.DefaultBatchSize);
            var sweep = batchSizes.Count == 0 ? null : BatchSweep(sessions, encoded, rounds, batchSizes);
            var options = sessionSweep ? OptionsSweep(sessions.Options, encoded, rounds) : null;
            double? textRate = texts > 0 ? Median(pipelineTexts) : null, bareTextRate = texts > 0 ? Median(bareTexts) : null;
            double? textRatio = texts > 0 ? Median(PerRound(pipelineTexts, bareTexts)) : null;
            if (texts > 0)
            {
                Console.WriteLine($"  texts: pipeline {textRate:N1}/s, bare MiniLM {bareTextRate:N1}/s, median of the rounds' ratios {textRatio:F2} " +
                    $"(pipeline faster in {Wins(pipelineTexts, bareTexts)}/{rounds} rounds)");
            }

            return new
            {
                images,
                texts,
                rounds,
                textBatch = TextBatch,
                imageBatch = ResNet18Backbone.DefaultBatchSize,
                provider = bare.Provider,
                pipelineImagesPerSecond = batchedRate,
                pipelineOneAtATimeImagesPerSecond = singleRate,
                bareImagesPerSecond = bareRate,
                imageRatio = batchedRatio,
                oneAtATimeRatio = singleRatio,
                imageOverhead = 1 - batchedRatio,
                imageRounds = new { bare = bareImages, batched = batchedImages, oneAtATime = singleImages },
                imageStages = stages,
                batchSweep = sweep,
                sessionOptionsSweep = options,
                pipelineTextsPerSecond = textRate,
                bareTextsPerSecond = bareTextRate,
                textRatio,
                textOverhead = 1 - textRatio,
                textRounds = new { bare = bareTexts, pipeline = pipelineTexts },
            };
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The batched path at each batch size with the default lanes, and at the default size on one lane (one session
    /// spreading each batch over every core, preparation between runs), one backbone per setting, the settings
    /// alternating within each round.
    /// </summary>
    private static object BatchSweep(OnnxSessionFactory sessions, ReadOnlyMemory<byte>[] encoded, int rounds, IReadOnlyList<int> batchSizes)
    {
        var settings = batchSizes.Select(b => (Batch: b, Lanes: 0)).Append((Batch: ResNet18Backbone.DefaultBatchSize, Lanes: 1)).ToList();
        var backbones = settings.Select(s => new ResNet18Backbone(sessions, batchSize: s.Batch, lanes: s.Lanes)).ToList();
        try
        {
            var rates = settings.Select(_ => new List<double>()).ToList();
            foreach (var backbone in backbones)
            {
                backbone.EmbedBatch(encoded.Take(backbone.BatchSize * 2).ToArray());
            }
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < backbones.Count; i++)
                {
                    var clock = Stopwatch.StartNew();
                    backbones[i].EmbedBatch(encoded);
                    rates[i].Add(encoded.Length / clock.Elapsed.TotalSeconds);
                }
            }
            var rows = backbones.Select((b, i) => new { batch = b.BatchSize, lanes = b.Lanes, imagesPerSecond = Median(rates[i]), rounds = rates[i] }).ToList();
            var first = backbones[0];
            Console.WriteLine($"  batch sweep: ONNX Runtime provider {first.Provider}, pinned host buffers {(first.UsesPinnedMemory ? "yes" : "no")}, " +
                $"{first.PreparingThreads} thread(s) preparing each batch");
            Console.WriteLine("  batch sweep (images/s, median): " + string.Join(", ", rows.Select(r => $"batch {r.batch} on {r.lanes} lane(s): {r.imagesPerSecond:N1}")));
            return new { provider = first.Provider, pinned = first.UsesPinnedMemory, preparingThreads = first.PreparingThreads, settings = rows };
        }
        finally
        {
            backbones.ForEach(b => b.Dispose());
        }
    }

    /// <summary>
    /// The batched path with the default lanes and batch size under other session options: each ONNX Runtime graph
    /// optimisation level below the default (all), and without the CPU memory arena; one factory and backbone per
    /// setting, the settings alternating within each round.
    /// </summary>
    private static object OptionsSweep(OnnxRuntimeOptions chosen, ReadOnlyMemory<byte>[] encoded, int rounds)
    {
        OnnxRuntimeOptions With(GraphOptimizationLevel level, bool arena) => new()
        {
            Preference = chosen.Preference, IntraOpThreads = chosen.IntraOpThreads, AllowSpinning = chosen.AllowSpinning,
            CudaDeviceId = chosen.CudaDeviceId, GraphOptimization = level, CpuMemoryArena = arena,
        };
        (string Name, OnnxRuntimeOptions Options)[] settings =
        [
            ("default: all optimisations, CPU arena", With(chosen.GraphOptimization, chosen.CpuMemoryArena)),
            ("extended optimisations", With(GraphOptimizationLevel.ORT_ENABLE_EXTENDED, chosen.CpuMemoryArena)),
            ("basic optimisations", With(GraphOptimizationLevel.ORT_ENABLE_BASIC, chosen.CpuMemoryArena)),
            ("no CPU arena", With(chosen.GraphOptimization, false)),
        ];
        var backbones = settings.Select(s => new ResNet18Backbone(new OnnxSessionFactory(s.Options))).ToList();
        try
        {
            var rates = settings.Select(_ => new List<double>()).ToList();
            backbones.ForEach(b => b.EmbedBatch(encoded.Take(b.BatchSize * b.Lanes).ToArray()));
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < backbones.Count; i++)
                {
                    var clock = Stopwatch.StartNew();
                    backbones[i].EmbedBatch(encoded);
                    rates[i].Add(encoded.Length / clock.Elapsed.TotalSeconds);
                }
            }
            var rows = settings.Select((s, i) => new { setting = s.Name, imagesPerSecond = Median(rates[i]), rounds = rates[i] }).ToList();
            Console.WriteLine("  session options (images/s, median, batched path): " + string.Join(", ", rows.Select(r => $"{r.setting}: {r.imagesPerSecond:N1}")));
            return rows;
        }
        finally
        {
            backbones.ForEach(b => b.Dispose());
        }
    }

    /// <summary>The stage times of the round whose rate was the median.</summary>
    private static ImageStageTimes MedianRound(List<ImageStageTimes> stages, List<double> rates)
    {
        var median = Median(rates);
        return stages[rates.IndexOf(median)];
    }

    private static List<double> PerRound(List<double> ours, List<double> peer) => [.. ours.Zip(peer, (a, b) => a / b)];

    private static int Wins(List<double> ours, List<double> peer) => ours.Zip(peer).Count(p => p.First > p.Second);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[(sorted.Count - 1) / 2];
    }

    private static string TrainRandomModel(string folder)
    {
        var random = new Random(5);
        FeatureSplit Split(int rows)
        {
            FeatureMatrix Matrix(int columns) => new([.. Enumerable.Range(0, rows * columns).Select(_ => (float)random.NextDouble())], rows, columns);
            return new FeatureSplit(Matrix(ResNetDim), Matrix(384), [.. Enumerable.Range(0, rows).Select(i => i % 10)]);
        }

        var info = new DatasetInfo("random", BackboneNames.ResNet18, BackboneNames.MiniLm, null);
        var model = Path.Combine(folder, "raw-model");
        new Ms2GanModelBuilder(NullLogger.Instance).Build(new FeatureDataset(folder, Split(200), Split(50), 10, info), new Ms2GanConfig { Epochs = 1 }, model);
        return model;
    }
}
