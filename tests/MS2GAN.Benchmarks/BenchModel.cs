using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Features.Data;
using MS2GAN.Model;

namespace MS2GAN.Benchmarks;

/// <summary>A feature-mode model with the default architecture (128 specific + 128 shared dims), trained briefly on the synthetic corpus.</summary>
public static class BenchModel
{
    /// <summary>Trains into <c>{folder}/{name}</c>; another <paramref name="seed"/> gives another version of the same architecture.</summary>
    public static string Train(SyntheticCorpus corpus, string folder, int epochs, int seed = 42, string name = "model")
    {
        var watch = Stopwatch.StartNew();
        var dataset = new FeatureDataset(folder, corpus.Split(seed: 1, 2000), corpus.Split(seed: 2, 500), SyntheticCorpus.Classes, DatasetInfo.Default(folder));
        var model = Path.Combine(folder, name);
        new Ms2GanModelBuilder(NullLogger.Instance).Build(dataset, new Ms2GanConfig { Epochs = epochs, Seed = seed }, model);
        Console.WriteLine($"model: default architecture, {epochs} epochs on 2,000 synthetic items (seed {seed}), trained in {watch.Elapsed.TotalSeconds:F1} s");
        return model;
    }
}
