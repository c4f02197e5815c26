using MS2GAN.Benchmarks;

// One verb per benchmark, each in its own file; figures go to the console and, with --json, to a file.
var verbs = new Dictionary<string, Func<BenchmarkArgs, Task<int>>>(StringComparer.Ordinal)
{
    ["hnsw"] = HnswBenchmark.RunAsync,
};

if (args.Length == 0 || !verbs.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: MS2GAN.Benchmarks <{string.Join('|', verbs.Keys)}> [options]");
    return 2;
}

return await run(BenchmarkArgs.Parse(args[1..]));
