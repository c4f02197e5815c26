using System.Diagnostics;
using System.Text.Json;
using MS2GAN.Benchmarks;
using MS2GAN.Features.Data;

namespace MS2GAN.Integration.Tests.Bench;

/// <summary>
/// bench/report.py, the writer of bench/results.md and results.json (infra/scripts/bench-peers.sh), on a run folder of
/// hand-made results: the ratios, targets and choices it computes, and how it names a malformed file. Debian's python3
/// is all it needs (no numpy); without it the tests are skipped.
/// </summary>
public sealed class PeerReportTests
{
    [PythonFact]
    public void Computes_each_ratio_against_its_peer_and_target_and_names_the_largest_gap()
    {
        using var run = new TempFolder();
        WriteRun(run);

        var (exit, output) = Report(run);

        Assert.True(exit == 0, output);
        using var json = JsonDocument.Parse(File.ReadAllText(run.Combine("out", "results.json")));
        var figures = json.RootElement.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("figure").GetString()!);

        // Epoch times pooled over both rounds without each round's first epoch: medians 2.0 (TorchSharp) and 1.6 (PyTorch).
        var training = figures["seconds per epoch, TorchSharp vs PyTorch"];
        Assert.Equal(2.0 / 1.6, training.GetProperty("ratio").GetDouble(), 9);
        Assert.False(training.GetProperty("met").GetBoolean()); // 1.25 > 1.15
        Assert.Contains("100 parameters on both sides", training.GetProperty("note").GetString());

        var image = figures["MS2GAN image encoder, ONNX Runtime vs TorchSharp"];
        Assert.Equal(4.0, image.GetProperty("ratio").GetDouble(), 9);
        Assert.True(image.GetProperty("met").GetBoolean());
        // Raw mode: the median of the rounds' ratios (1.02), not the quotient of the median rates (19 / 20 = 0.95), against 1.0.
        var rawImages = figures["raw images: decode + ResNet18 + MS2GAN (batches) vs bare batch-1 ResNet18 sessions"];
        Assert.Equal(1.02, rawImages.GetProperty("ratio").GetDouble(), 9);
        Assert.True(rawImages.GetProperty("met").GetBoolean());
        Assert.False(figures["raw texts: tokenize + MiniLM + pool + MS2GAN vs bare MiniLM session"].GetProperty("met").GetBoolean()); // 0.5

        // Each side's fastest setting with recall@10 >= 0.95: the store's ef 16 (0.94) and FAISS's ef 10 (0.90) do not count.
        var hnsw = figures["HNSW at recall@10 >= 0.95, one query at a time: store vs IndexHNSWFlat"];
        Assert.Equal(3000.0 / 1500.0, hnsw.GetProperty("ratio").GetDouble(), 9);
        Assert.Contains("store ef 32", hnsw.GetProperty("note").GetString());
        Assert.Contains("FAISS efSearch 24", hnsw.GetProperty("note").GetString());

        // Concurrent: the store's 8 callers against FAISS searching from 2 processes.
        var inFlight = figures["HNSW at recall@10 >= 0.95, concurrent (8 callers vs 2 processes): store vs IndexHNSWFlat"];
        Assert.Equal(5000.0 / 2500.0, inFlight.GetProperty("ratio").GetDouble(), 9);
        // All queries in one call on both sides: the store's SearchBatchAsync (450 q/s) against FAISS's one batch (300 q/s).
        Assert.Equal(450.0 / 300.0, figures["exact, all queries at once: store (one SearchBatchAsync call) vs IndexFlatIP (one batch of 100)"].GetProperty("ratio").GetDouble(), 9);

        var reindex = figures["reindex vs HTTP ingest to searchable (this run)"];
        Assert.Equal(9000.0 / 3000.0, reindex.GetProperty("ratio").GetDouble(), 9);

        // Missed: training (1.25 against <= 1.15: 1.09x short), raw texts (0.5 against >= 1.0: 2x short).
        var largest = json.RootElement.GetProperty("largestGap");
        Assert.Equal("raw texts: tokenize + MiniLM + pool + MS2GAN vs bare MiniLM session", largest.GetProperty("figure").GetString());
        Assert.Equal(2.0, largest.GetProperty("factor").GetDouble(), 9);
    }

    [PythonFact]
    public void Quality_is_the_mean_over_seeds_on_every_dataset_beside_dscmr_sm_and_the_ablation()
    {
        using var run = new TempFolder();
        WriteRun(run);

        var (exit, output) = Report(run);

        Assert.True(exit == 0, output);
        using var json = JsonDocument.Parse(File.ReadAllText(run.Combine("out", "results.json")));
        var figures = json.RootElement.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("figure").GetString()!);
        // Wikipedia: joint 0.28 and 0.29 (mean 0.285), DSCMR 0.27 and 0.28 (mean 0.275), SM 0.245.
        Assert.Equal(0.285 / 0.275, figures["wikipedia: MS2GAN joint vs DSCMR, mean of 2 seeds"].GetProperty("ratio").GetDouble(), 9);
        Assert.Equal(0.285 / 0.2749, figures["wikipedia: MS2GAN joint vs SM + 0.03"].GetProperty("ratio").GetDouble(), 9);
        Assert.True(figures["wikipedia: MS2GAN joint, mean of 2 seeds, vs the bar 0.280"].GetProperty("met").GetBoolean());
        Assert.True(figures["wikipedia: MS2GAN joint, lowest of 2 seeds, vs the bar 0.272"].GetProperty("met").GetBoolean());   // 0.28
        // Shared only (0.286) is above joint there: "joint > max(shared, specific)" is not met.
        var ablation = figures["wikipedia: MS2GAN joint vs max(shared only, specific only)"];
        Assert.Equal(0.285 / 0.286, ablation.GetProperty("ratio").GetDouble(), 9);
        Assert.Equal("shared only", ablation.GetProperty("peerName").GetString());
        Assert.False(ablation.GetProperty("met").GetBoolean());
        Assert.True(figures["demo: MS2GAN joint vs max(shared only, specific only)"].GetProperty("met").GetBoolean());   // 0.99 > 0.98
        Assert.Equal(0.80 / 0.75, figures["wikipedia: predicted-label accuracy from image and text, MS2GAN vs SM"].GetProperty("ratio").GetDouble(), 9);
        // The demo set: joint 0.99 against DSCMR 1.0 misses.
        Assert.False(figures["demo: MS2GAN joint vs DSCMR, mean of 2 seeds"].GetProperty("met").GetBoolean());
        var wikipedia = json.RootElement.GetProperty("quality").GetProperty("wikipedia");
        var joint = wikipedia.GetProperty("rows")[0][1].GetProperty("avg");
        Assert.Equal(0.285, joint.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(Math.Sqrt(0.00005), joint.GetProperty("std").GetDouble(), 9);
        var markdown = File.ReadAllText(run.Combine("out", "results.md"));
        Assert.Contains("| MS2GAN joint (weights chosen on validation) | 0.3150 ± 0.0071 | 0.2550 ± 0.0071 | 0.2850 ± 0.0071 (0.2800) |", markdown);
        Assert.Contains("| DSCMR (dscmr_ref.py, seeds 1,2) | ", markdown);
        Assert.Contains("| SM (peer_baselines.py) | 0.2782 | 0.2115 | 0.2449 |", markdown);
        Assert.Contains("## Model quality: demo", markdown);
    }

    [PythonFact]
    public async Task The_quality_part_reads_what_the_quality_verb_writes()
    {
        // The verb itself on a small clustered dataset, two seeds, then the report on its JSON beside the peers' files.
        using var run = new TempFolder();
        var data = run.Combine("data");
        Directory.CreateDirectory(data);
        NpyWriter.WriteSplit(data, "train", SyntheticClusters.Split(perClass: 20, seed: 1));
        NpyWriter.WriteSplit(data, "test", SyntheticClusters.Split(perClass: 10, seed: 2));
        var exit = await QualityBenchmark.RunAsync(BenchArgs.Parse(["--data", data, "--name", "wikipedia", "--seeds", "1,2", "--threads", "1",
            "--set", """{"epochs":3,"patience":0,"refit":false}""", "--json", run.File("quality-wikipedia.json")]));
        Assert.Equal(0, exit);
        WriteQualityPeers(run, "wikipedia", dscmr: [0.5, 0.6], smLabels: 0.5, sm: (0.3, 0.2, 0.25));
        using var verb = JsonDocument.Parse(File.ReadAllText(run.File("quality-wikipedia.json")));
        var jointMean = verb.RootElement.GetProperty("summary").GetProperty("joint").GetProperty("mean").GetDouble();

        var (reportExit, output) = Report(run, "--parts", "quality");

        Assert.True(reportExit == 0, output);
        using var json = JsonDocument.Parse(File.ReadAllText(run.Combine("out", "results.json")));
        var figure = json.RootElement.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("figure").GetString() == "wikipedia: MS2GAN joint vs DSCMR, mean of 2 seeds");
        Assert.Equal(jointMean, figure.GetProperty("ours").GetDouble(), 9);
        Assert.Equal(0.55, figure.GetProperty("peer").GetDouble(), 9);
    }

    [PythonFact]
    public void A_quality_only_run_keeps_the_other_parts_of_the_earlier_report_with_their_date()
    {
        using var run = new TempFolder();
        WriteRun(run);
        Assert.Equal(0, Report(run).Exit);
        var earlier = JsonDocument.Parse(File.ReadAllText(run.Combine("out", "results.json"))).RootElement.GetProperty("generated").GetString();
        foreach (var file in new[] { "encode.json", "search-store.json", "search-faiss.json", "pipeline.json", "reindex.json" })
        {
            File.Delete(run.File(file));
        }
        File.Delete(run.File("speed-torchsharp-1.json"));

        var (exit, output) = Report(run, "--parts", "quality");

        Assert.True(exit == 0, output);
        using var json = JsonDocument.Parse(File.ReadAllText(run.Combine("out", "results.json")));
        var figures = json.RootElement.GetProperty("figures").EnumerateArray().Select(f => f.GetProperty("figure").GetString()!).ToList();
        Assert.Contains("seconds per epoch, TorchSharp vs PyTorch", figures);
        Assert.Contains("wikipedia: MS2GAN joint vs DSCMR, mean of 2 seeds", figures);
        Assert.Equal(earlier, json.RootElement.GetProperty("sections").GetProperty("training").GetProperty("generated").GetString());
        Assert.Empty(json.RootElement.GetProperty("failed").EnumerateArray());
    }

    [PythonFact]
    public void A_missing_dscmr_seed_fails_the_quality_part_naming_the_file()
    {
        using var run = new TempFolder();
        WriteRun(run);
        File.Delete(run.File("quality-demo-dscmr-2.log"));

        var (exit, output) = Report(run);

        Assert.True(exit == 1, output);
        var failed = JsonDocument.Parse(File.ReadAllText(run.Combine("out", "results.json"))).RootElement.GetProperty("failed")
            .EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.Contains(failed, f => f.StartsWith("quality", StringComparison.Ordinal) && f.Contains("quality-demo-dscmr-2.log", StringComparison.Ordinal));
    }

    [PythonFact]
    public void Names_the_file_and_the_field_when_a_result_is_malformed_and_still_writes_the_rest()
    {
        using var run = new TempFolder();
        WriteRun(run);
        File.WriteAllText(run.File("encode.json"), """{ "provider": "CPUExecutionProvider" }""");
        File.WriteAllText(run.File("search-faiss.json"), "{ not json");

        var (exit, output) = Report(run);

        Assert.True(exit == 1, output);
        var failed = JsonDocument.Parse(File.ReadAllText(run.Combine("out", "results.json"))).RootElement.GetProperty("failed")
            .EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.Contains(failed, f => f.StartsWith("encoding", StringComparison.Ordinal) && f.Contains("encode.json: no field 'featureMode'", StringComparison.Ordinal));
        Assert.Contains(failed, f => f.StartsWith("search", StringComparison.Ordinal) && f.Contains("search-faiss.json: not valid JSON", StringComparison.Ordinal));
        Assert.Contains("seconds per epoch, TorchSharp vs PyTorch", File.ReadAllText(run.Combine("out", "results.md")));
    }

    private static (int Exit, string Output) Report(TempFolder run, params string[] options)
    {
        var script = RepositoryFolder.File(Path.Combine("bench", "report.py"));
        var start = new ProcessStartInfo(PythonFactAttribute.Python, [script, run.Path, run.Combine("out"), .. options])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "report.py did not finish within 60 s");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    // Two seeds of the quality verb (joint and shared average per seed; i2t = avg + 0.03, t2i = avg - 0.03; specific 0.01 lower),
    // the peers' log, SM's labels and one DSCMR log per seed.
    private static void WriteQuality(TempFolder run, string name, (double Joint, double Shared)[] seeds, double[] dscmr, double labels, double smLabels,
        (double I2T, double T2I, double Avg) sm)
    {
        static string Map(double avg) => FormattableString.Invariant($$"""{ "i2t": {{avg + 0.03}}, "t2i": {{avg - 0.03}} }""");
        var runs = string.Join(", ", seeds.Select(s => $$"""{ "report": { "joint": {{Map(s.Joint)}}, "shared": {{Map(s.Shared)}}, "specific": {{Map(s.Shared - 0.01)}} } }"""));
        static string Stat(double v) => FormattableString.Invariant($$"""{ "mean": {{v}} }""");
        File.WriteAllText(run.File($"quality-{name}.json"), $$"""
            { "seeds": [1, 2], "trainItems": 100, "testItems": 50, "classes": 10, "imageDim": 128, "textDim": 10,
              "summary": { "labelsImage": {{Stat(labels - 0.1)}}, "labelsText": {{Stat(labels)}}, "labelsBoth": {{Stat(labels)}},
                           "bestEpoch": {{Stat(50)}}, "seconds": {{Stat(30)}} },
              "runs": [ {{runs}} ] }
            """);
        WriteQualityPeers(run, name, dscmr, smLabels, sm);
    }

    // The peers' files of one dataset: peer_baselines.py's log (CCA, SCM fixed; SM given), SM's labels, a DSCMR log per seed.
    private static void WriteQualityPeers(TempFolder run, string name, double[] dscmr, double smLabels, (double I2T, double T2I, double Avg) sm)
    {
        File.WriteAllText(run.File($"quality-{name}-peers.log"), FormattableString.Invariant($"""
            CCA   I->T 0.2147  T->I 0.1670  avg 0.1909
            SM    I->T {sm.I2T:F4}  T->I {sm.T2I:F4}  avg {sm.Avg:F4}
            SCM   I->T 0.2353  T->I 0.2003  avg 0.2178
            """));
        File.WriteAllText(run.File($"quality-{name}-sm-labels.json"), FormattableString.Invariant($$"""{ "image": 0.5, "text": {{smLabels}}, "both": {{smLabels}} }"""));
        for (var i = 0; i < dscmr.Length; i++)
        {
            File.WriteAllText(run.File($"quality-{name}-dscmr-{i + 1}.log"), FormattableString.Invariant(
                $"(reused from the cache)\nDSCMR I->T {dscmr[i] + 0.02:F4} T->I {dscmr[i] - 0.02:F4} avg {dscmr[i]:F4}  (best val 0.3 at epoch 99; 10.0 s)\n"));
        }
    }

    private static void WriteRun(TempFolder run)
    {
        WriteQuality(run, "wikipedia", [(0.28, 0.286), (0.29, 0.286)], dscmr: [0.27, 0.28], labels: 0.80, smLabels: 0.75, sm: (0.2782, 0.2115, 0.2449));
        WriteQuality(run, "demo", [(0.99, 0.98), (0.99, 0.98)], dscmr: [1.0, 1.0], labels: 1.0, smLabels: 1.0, sm: (1.0, 1.0, 1.0));
        static string Speed(string framework, string seconds) =>
            $$"""{ "framework": "{{framework}}", "threads": 2, "BatchSize": 256, "epochs": 3, "parameters": 100, "epochSeconds": [{{seconds}}] }""";
        File.WriteAllText(run.File("speed-torchsharp-1.json"), Speed("TorchSharp", "9.0, 1.0, 2.0"));
        File.WriteAllText(run.File("speed-torchsharp-2.json"), Speed("TorchSharp", "9.0, 3.0, 2.0"));
        File.WriteAllText(run.File("speed-pytorch-1.json"), Speed("PyTorch 1.13", "9.0, 1.6, 1.0"));
        File.WriteAllText(run.File("speed-pytorch-2.json"), Speed("PyTorch 1.13", "9.0, 2.0, 1.7"));
        File.WriteAllText(run.File("encode.json"), """
            { "machine": { "cores": 2, "dotnet": "10.0" }, "provider": "CPUExecutionProvider", "featureMode": [
              { "modality": "image", "rows": 1000, "batch": 256, "onnxItemsPerSecond": 4000, "torchSharpItemsPerSecond": 1000, "maxAbsDifference": 1e-7 } ],
              "rawMode": { "images": 10, "texts": 10, "textBatch": 32, "imageBatch": 16, "rounds": 3, "pipelineImagesPerSecond": 19, "bareImagesPerSecond": 20,
                           "imageRatio": 1.02, "oneAtATimeRatio": 0.8, "pipelineTextsPerSecond": 100, "bareTextsPerSecond": 200, "textRatio": 0.5 } }
            """);
        File.WriteAllText(run.File("search-store.json"), """
            { "items": 1000, "dim": 256, "queries": 100, "callers": 8,
              "exact": { "qpsOneAtATime": 200, "qpsConcurrent": 400, "qpsBatch": 450 },
              "hnsw": { "m": 16, "efConstruction": 128, "buildSeconds": 1.0, "runs": [
                { "ef": 16, "recallAt10": 0.94, "qpsOneAtATime": 9000, "qpsConcurrent": 9000 },
                { "ef": 32, "recallAt10": 0.96, "qpsOneAtATime": 3000, "qpsConcurrent": 5000 },
                { "ef": 64, "recallAt10": 0.99, "qpsOneAtATime": 2000, "qpsConcurrent": 4000 } ] } }
            """);
        File.WriteAllText(run.File("search-faiss.json"), """
            { "threads": 2, "queries": 100, "inFlight": 2, "flat": { "qpsOneAtATime": 100, "qpsInFlight": 100, "qpsBatch": 300 },
              "hnsw": { "buildSeconds": 2.0, "runs": [
                { "ef": 10, "recallAt10": 0.90, "qpsOneAtATime": 8000, "qpsInFlight": 8000, "qpsBatch": 8000 },
                { "ef": 24, "recallAt10": 0.95, "qpsOneAtATime": 1500, "qpsInFlight": 2500, "qpsBatch": 2600 } ] } }
            """);
        File.WriteAllText(run.File("pipeline.json"), """
            { "batched": { "Items": 5000, "ItemsPerSecond": 3000 }, "rawClientMessagesPerSecond": 6000, "rawBrokerMessagesPerSecond": 1500,
              "freshness": { "Rate": 1000, "AchievedRate": 990, "P50Ms": 20, "P99Ms": 400, "MaxMs": 500 } }
            """);
        File.WriteAllText(run.File("reindex.json"), """{ "items": 5000, "itemsPerSecond": 9000 }""");
    }
}
