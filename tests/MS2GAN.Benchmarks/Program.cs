using MS2GAN.Benchmarks;

// Benchmarks print their figures and write them as JSON; they never assert a number.
// Exit status: 0 when the benchmark ran, 1 when it failed to run, 2 for a usage error.
var verbs = new Dictionary<string, Func<BenchArgs, Task<int>>>(StringComparer.Ordinal)
{
    ["pipeline"] = PipelineBenchmark.RunAsync,
    ["hnsw"] = HnswBenchmark.RunAsync,
    ["exact"] = ExactBenchmark.RunAsync,
    ["reindex"] = ReindexBenchmark.RunAsync,
    ["soak"] = SoakBenchmark.RunAsync,
    ["train-speed"] = TrainSpeedBenchmark.RunAsync,
    ["encode"] = EncodeBenchmark.RunAsync,
    ["search-peers"] = SearchPeersBenchmark.RunAsync,
    ["scale"] = ScaleBenchmark.RunAsync,
    ["quality"] = QualityBenchmark.RunAsync,
};

if (args.Length == 0 || !verbs.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: MS2GAN.Benchmarks {string.Join('|', verbs.Keys)} [--option value ...]");
    return 2;
}

try
{
    return await run(BenchArgs.Parse(args[1..]));
}
catch (BenchUsageException ex)
{
    Console.Error.WriteLine($"{args[0]}: {ex.Message}");
    return 2;
}
