using System.Diagnostics;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Inference;
using MS2GAN.Model.Network;
using MS2GAN.Model.Training;
using static TorchSharp.torch;

namespace MS2GAN.Benchmarks;

/// <summary>
/// <c>encode</c>: feature mode, the MS2GAN encoders of a model folder in ONNX Runtime (as the encoder service runs them)
/// against TorchSharp inference of the same weights (generator.ts), batch by batch, items/s per modality; then raw
/// mode (<see cref="RawEncodeBenchmark"/>). Options: --model DIR (a Wikipedia model), --data DIR, --items N rows per
/// modality (50000), --batch N (256, Encoder:BatchSize), --images N (200), --texts N (2000, 0 for none), --rounds N
/// alternating rounds of raw mode (3), --image-batches LIST (batch sizes to sweep, none by default), --session-sweep yes|no
/// (ONNX Runtime optimisation levels and the CPU arena on the batched path; no), --mode all|raw
/// (raw: raw mode only, no model or data needed), --provider Auto|Cuda|Cpu (Auto; Cuda where it cannot be used: exit status 3),
/// --json FILE.
/// </summary>
internal static class EncodeBenchmark
{
    /// <summary>Exit status of <c>--mode raw --provider Cuda</c> where CUDA cannot be used.</summary>
    public const int CudaUnavailable = 3;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var mode = args.String("mode") ?? "all";
        if (mode is not ("all" or "raw"))
        {
            throw new BenchUsageException($"--mode must be all or raw, got '{mode}'");
        }
        var provider = Enum.TryParse<ExecutionPreference>(args.String("provider") ?? "Auto", ignoreCase: true, out var p) && Enum.IsDefined(p)
            ? p
            : throw new BenchUsageException($"--provider must be Auto, Cuda or Cpu, got '{args.String("provider")}'");
        var rounds = args.Int("rounds", 3, max: 100);
        var imageBatches = args.String("image-batches") is { } list
            ? list.Split(',').Select(v => int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var b) && b is >= 1 and <= 1024
                ? b
                : throw new BenchUsageException($"--image-batches takes batch sizes from 1 to 1024, got '{v}'")).ToArray()
            : [];
        var sessionSweep = (args.String("session-sweep") ?? "no") switch
        {
            "yes" => true,
            "no" => false,
            var other => throw new BenchUsageException($"--session-sweep must be yes or no, got '{other}'"),
        };
        var images = args.Int("images", 200);
        var texts = args.Int("texts", 2_000, min: 0);
        var jsonPath = args.String("json") ?? Path.Combine("artifacts", "bench", "encode.json");
        var sessions = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = provider });
        if (mode == "raw")
        {
            object rawOnly;
            try
            {
                rawOnly = RawEncodeBenchmark.Run(sessions, images, texts, rounds, imageBatches, sessionSweep);
            }
            catch (OnnxRuntimeUnavailableException ex)
            {
                // Only with --provider Cuda: infra/scripts/bench-gpu.sh reports this as not run, not as a failure.
                Console.Error.WriteLine($"encode: not run: {ex.Message}");
                return CudaUnavailable;
            }
            Console.WriteLine($"results: {await BenchRun.WriteJsonAsync(jsonPath, new { machine = BenchRun.Machine, rawMode = rawOnly })}");
            return 0;
        }

        var modelDirectory = args.String("model") ?? throw new BenchUsageException("--model DIR is required (a model trained on --data), or --mode raw");
        var data = args.String("data") ?? Path.Combine("..", "shared", "data", "wikipedia");
        var items = args.Int("items", 50_000);
        var batch = args.Int("batch", 256);
        var dataset = FeatureDatasetLoader.Load(data);
        using var model = Ms2GanModel.Open(modelDirectory, sessions);
        var manifest = model.Manifest;
        set_num_threads(Environment.ProcessorCount);
        using var network = new Ms2GanNetwork(manifest.FeatureSpace.ImageDim, manifest.FeatureSpace.TextDim, manifest.ClassCount, manifest.Config);
        network.load(ModelFolder.PathOf(modelDirectory, manifest, ModelRoles.Checkpoint));
        network.eval();
        Console.WriteLine($"encode: feature mode, {items:N0} rows per modality in batches of {batch}, ONNX Runtime on {model.Image.Provider}, TorchSharp with {get_num_threads()} threads");

        var modalities = new List<object>();
        foreach (var (modality, source, normalizer) in new[]
                 {
                     ("image", dataset.Test.Image, manifest.ImageNormalization),
                     ("text", dataset.Test.Text, manifest.TextNormalization),
                 })
        {
            var batches = Tile(source, items, batch);
            var onnx = Rate(batches, b => model.Encode(modality, b));
            var torchSharp = Rate(batches, b => TorchEncode(network, modality, normalizer, b));
            var difference = MaxDifference(model.Encode(modality, batches[0]), TorchEncode(network, modality, normalizer, batches[0]));
            Console.WriteLine($"  {modality}: ONNX Runtime {onnx:N0} items/s, TorchSharp {torchSharp:N0} items/s ({onnx / torchSharp:F2}x); largest difference {difference:E1}");
            modalities.Add(new { modality, rows = items, batch, onnxItemsPerSecond = onnx, torchSharpItemsPerSecond = torchSharp, onnxOverTorchSharp = onnx / torchSharp, maxAbsDifference = difference });
        }

        var raw = RawEncodeBenchmark.Run(sessions, images, texts, rounds, imageBatches, sessionSweep);
        var written = await BenchRun.WriteJsonAsync(jsonPath, new
        {
            machine = BenchRun.Machine,
            provider = model.Image.Provider,
            torchThreads = get_num_threads(),
            featureMode = modalities,
            rawMode = raw,
        });
        Console.WriteLine($"results: {written}");
        return 0;
    }

    /// <summary>The source rows repeated up to <paramref name="rows"/>, cut into batches made before any timing.</summary>
    private static List<FeatureMatrix> Tile(FeatureMatrix source, int rows, int batch)
    {
        var result = new List<FeatureMatrix>();
        for (var start = 0; start < rows; start += batch)
        {
            var count = Math.Min(batch, rows - start);
            result.Add(source.SelectRows([.. Enumerable.Range(start, count).Select(r => r % source.Rows)]));
        }

        return result;
    }

    /// <summary>Items per second over all batches, after one untimed pass over the first few.</summary>
    private static double Rate(List<FeatureMatrix> batches, Func<FeatureMatrix, EncodedBatch> encode)
    {
        foreach (var b in batches.Take(10))
        {
            encode(b);
        }

        var clock = Stopwatch.StartNew();
        var rows = 0;
        foreach (var b in batches)
        {
            rows += encode(b).Specific.Rows;
        }

        return rows / clock.Elapsed.TotalSeconds;
    }

    /// <summary>What the ONNX encoder computes, in TorchSharp: standardise, specific and common networks, L2-normalise, copy out.</summary>
    private static EncodedBatch TorchEncode(Ms2GanNetwork network, string modality, FeatureNormalizer normalizer, FeatureMatrix features)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // The trainer's own input transform (signed square root where the model uses it, then mean and scale).
        var (specific, shared) = network.Encode(modality, Ms2GanTrainer.ToTensor(normalizer.Apply(features)));
        return new EncodedBatch(
            Ms2GanTrainer.ToMatrix(nn.functional.normalize(specific, p: 2, dim: 1)),
            Ms2GanTrainer.ToMatrix(nn.functional.normalize(shared, p: 2, dim: 1)));
    }

    private static double MaxDifference(EncodedBatch a, EncodedBatch b) =>
        a.Specific.Values.Zip(b.Specific.Values).Concat(a.Shared.Values.Zip(b.Shared.Values)).Max(p => Math.Abs(p.First - p.Second));
}
