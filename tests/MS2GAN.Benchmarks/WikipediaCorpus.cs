using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using MS2GAN.Model;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Benchmarks;

/// <summary>
/// Real model vectors: a model trained on the Wikipedia features, then items made by mixing two training items of
/// the same class (both modalities with the same mix, so an item stays a pair) plus small noise, encoded by the
/// model's ONNX encoders. Queries are the held-out test items, encoded the same way.
/// </summary>
internal static class WikipediaCorpus
{
    private const int Epochs = 30;
    private const double NoiseOfColumnStd = 0.05;

    public static BenchCorpus Create(string dataDirectory, string modelDirectory, int items, int queries, int seed)
    {
        var dataset = FeatureDatasetLoader.Load(dataDirectory);
        var trained = EnsureModel(dataset, modelDirectory);
        using var model = Ms2GanModel.Open(modelDirectory, new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cpu }));
        var weights = model.Manifest.DefaultWeights;
        var names = dataset.Info.ClassNames;
        string Label(int label) => names is null ? $"class-{label}" : names[label];

        var (mixed, labels) = Mix(dataset.Train, items, seed);
        var image = model.Encode("image", mixed.Image);
        var text = model.Encode("text", mixed.Text);
        var records = new List<VectorRecord>(items * 2);
        for (var i = 0; i < items; i++)
        {
            var id = $"w{i:D6}";
            string[] itemLabels = [Label(labels[i])];
            records.Add(new VectorRecord(id, VectorModalities.Image, image.Specific.Row(i).ToArray(), image.Shared.Row(i).ToArray(), itemLabels, NoMetadata));
            records.Add(new VectorRecord(id, VectorModalities.Text, text.Specific.Row(i).ToArray(), text.Shared.Row(i).ToArray(), itemLabels, NoMetadata));
        }

        var test = dataset.Test;
        var testImage = model.Encode("image", test.Image);
        var testText = model.Encode("text", test.Text);
        VectorQuery Query(EncodedBatch from, int row, string target) =>
            new(from.Specific.Row(row).ToArray(), from.Shared.Row(row).ToArray(), weights.Specific, weights.Shared, target, 10);
        var rows = Enumerable.Range(0, queries).Select(q => q % test.Count).ToArray();
        var description =
            $"model trained here ({trained}) on {dataDirectory} train split ({dataset.Train.Count} pairs, {dataset.ClassCount} classes), " +
            $"S {model.Manifest.SpecificDim}-d + C {model.Manifest.SharedDim}-d, default weights specific {weights.Specific} / shared {weights.Shared}; " +
            $"{items} items made by picking a training item at random, a second training item of the same class, " +
            $"lambda ~ U(0,1), features = lambda*a + (1-lambda)*b (same a, b, lambda for image and text) + Gaussian noise " +
            $"with sd {NoiseOfColumnStd} x the column's sd, encoded by the model's ONNX encoders into an image and a text record " +
            $"(seed {seed}); queries: the {test.Count} held-out test pairs encoded the same way (row q mod {test.Count})";
        return new BenchCorpus(
            "wikipedia-model", description, model.Manifest.SpecificDim, model.Manifest.SharedDim, records,
            [
                new QuerySet("text->image", [.. rows.Select(r => Query(testText, r, VectorModalities.Image))]),
                new QuerySet("image->text", [.. rows.Select(r => Query(testImage, r, VectorModalities.Text))]),
                new QuerySet("any", [.. rows.Select((r, q) => Query(q % 2 == 0 ? testText : testImage, r, VectorModalities.Any))]),
            ]);
    }

    private static readonly Dictionary<string, string> NoMetadata = [];

    private static string EnsureModel(FeatureDataset dataset, string modelDirectory)
    {
        if (File.Exists(Path.Combine(modelDirectory, ModelManifest.FileName)))
        {
            var saved = ModelFolder.Read(modelDirectory).Config;
            return $"reused from {modelDirectory}: Ms2GanConfig defaults but {saved.Epochs} epochs, seed {saved.Seed}";
        }

        var config = new Ms2GanConfig { Epochs = Epochs };
        Console.WriteLine($"training a model for {Epochs} epochs into {modelDirectory} ...");
        var clock = Stopwatch.StartNew();
        new Ms2GanModelBuilder(NullLogger.Instance).Build(dataset, config, modelDirectory, overwrite: true);
        Console.WriteLine($"trained in {clock.Elapsed.TotalSeconds:F0} s");
        return $"Ms2GanConfig defaults but {Epochs} epochs, seed {config.Seed}";
    }

    private static (FeatureSplit Mixed, int[] Labels) Mix(FeatureSplit train, int items, int seed)
    {
        var random = new Random(seed);
        var byClass = train.Labels.Select((label, row) => (label, row)).GroupBy(p => p.label).ToDictionary(g => g.Key, g => g.Select(p => p.row).ToArray());
        var imageSd = ColumnSd(train.Image);
        var textSd = ColumnSd(train.Text);
        var image = new float[items * train.Image.Columns];
        var text = new float[items * train.Text.Columns];
        var labels = new int[items];
        for (var i = 0; i < items; i++)
        {
            var a = random.Next(train.Count);
            var sameClass = byClass[train.Labels[a]];
            var b = sameClass[random.Next(sameClass.Length)];
            var lambda = (float)random.NextDouble();
            labels[i] = train.Labels[a];
            MixRow(train.Image, a, b, lambda, imageSd, random, image.AsSpan(i * train.Image.Columns, train.Image.Columns));
            MixRow(train.Text, a, b, lambda, textSd, random, text.AsSpan(i * train.Text.Columns, train.Text.Columns));
        }

        return (new FeatureSplit(new FeatureMatrix(image, items, train.Image.Columns), new FeatureMatrix(text, items, train.Text.Columns), labels), labels);
    }

    private static void MixRow(FeatureMatrix m, int a, int b, float lambda, float[] sd, Random random, Span<float> into)
    {
        var ra = m.Row(a);
        var rb = m.Row(b);
        for (var j = 0; j < into.Length; j++)
        {
            into[j] = (lambda * ra[j]) + ((1 - lambda) * rb[j]) + (float)(Gaussian(random) * NoiseOfColumnStd * sd[j]);
        }
    }

    private static float[] ColumnSd(FeatureMatrix m)
    {
        var sd = new float[m.Columns];
        for (var j = 0; j < m.Columns; j++)
        {
            double sum = 0, sum2 = 0;
            for (var i = 0; i < m.Rows; i++)
            {
                double v = m.Values[(i * m.Columns) + j];
                sum += v;
                sum2 += v * v;
            }

            var mean = sum / m.Rows;
            sd[j] = (float)Math.Sqrt(Math.Max(0, (sum2 / m.Rows) - (mean * mean)));
        }

        return sd;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
