using MS2GAN.Storage.Vectors;

namespace MS2GAN.Benchmarks;

/// <summary>Uniform random vectors: the case with no structure at all, for comparison with model vectors.</summary>
internal static class UniformCorpus
{
    private static readonly Dictionary<string, string> NoMetadata = [];

    public static BenchCorpus Create(int items, int queries, int dim, int seed)
    {
        var random = new Random(seed);
        var records = new List<VectorRecord>(items * 2);
        for (var i = 0; i < items; i++)
        {
            var id = $"u{i:D6}";
            records.Add(new VectorRecord(id, VectorModalities.Image, Vector(random, dim), Vector(random, dim), [], NoMetadata));
            records.Add(new VectorRecord(id, VectorModalities.Text, Vector(random, dim), Vector(random, dim), [], NoMetadata));
        }

        QuerySet Set(string direction, string target) => new(direction, [.. Enumerable.Range(0, queries)
            .Select(_ => new VectorQuery(Vector(random, dim), Vector(random, dim), 0.5, 0.5, target, 10))]);
        return new BenchCorpus(
            "uniform",
            $"{items} items x (image, text) records; S and C {dim}-d each, every component uniform in [-1, 1] (seed {seed}); " +
            $"queries drawn the same way, weights 0.5/0.5",
            dim, dim, records,
            [Set("text->image", VectorModalities.Image), Set("image->text", VectorModalities.Text), Set("any", VectorModalities.Any)]);
    }

    private static float[] Vector(Random random, int dim)
    {
        var v = new float[dim];
        for (var i = 0; i < dim; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return v;
    }
}
