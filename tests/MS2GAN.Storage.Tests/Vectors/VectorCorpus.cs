using MS2GAN.Storage.Vectors;

namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>Seeded random records and a double-precision brute-force reference ranking.</summary>
internal static class VectorCorpus
{
    public static readonly string[] LabelPool = ["l0", "l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8", "l9"];

    public static float[] RandomVector(Random random, int dim)
    {
        var v = new float[dim];
        for (var i = 0; i < dim; i++)
        {
            // Not unit length on purpose: the store must normalise.
            v[i] = (float)((random.NextDouble() * 2) - 1) * 3;
        }

        return v;
    }

    /// <summary>Items "item-0000".. with an image and a text record each (every 7th item has an image only).</summary>
    public static List<VectorRecord> Records(int items, int specificDim, int sharedDim, int seed, string prefix = "item-")
    {
        var random = new Random(seed);
        var records = new List<VectorRecord>();
        for (var i = 0; i < items; i++)
        {
            var id = $"{prefix}{i:D4}";
            var labels = new[] { LabelPool[i % 10], LabelPool[(i / 10) % 10] }.Distinct().ToArray();
            var metadata = new Dictionary<string, string> { ["source"] = $"s{i % 5}", ["parity"] = i % 2 == 0 ? "even" : "odd" };
            records.Add(new VectorRecord(id, VectorModalities.Image, RandomVector(random, specificDim), RandomVector(random, sharedDim), labels, metadata));
            if (i % 7 != 0)
            {
                records.Add(new VectorRecord(id, VectorModalities.Text, RandomVector(random, specificDim), RandomVector(random, sharedDim), labels, metadata));
            }
        }

        return records;
    }

    public static List<ReferenceHit> BruteForce(IEnumerable<VectorRecord> records, VectorQuery query)
    {
        var qs = Unit(query.Specific);
        var qc = Unit(query.Shared);
        return records
            .Where(r => query.Target == VectorModalities.Any || r.Modality == query.Target)
            .Where(r => query.ExcludeItemId is null || r.ItemId != query.ExcludeItemId)
            .Where(r => query.AnyOfLabels is not { Count: > 0 } || r.Labels.Any(query.AnyOfLabels.Contains))
            .Where(r => query.Metadata is not { Count: > 0 } || query.Metadata.All(m => r.Metadata.TryGetValue(m.Key, out var v) && v == m.Value))
            .Select(r => new ReferenceHit(r.ItemId, r.Modality,
                (query.SpecificWeight == 0 ? 0 : query.SpecificWeight * Dot(Unit(r.Specific), qs))
                + (query.SharedWeight == 0 ? 0 : query.SharedWeight * Dot(Unit(r.Shared), qc))))
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.ItemId, StringComparer.Ordinal)
            .ThenBy(h => h.Modality, StringComparer.Ordinal)
            .ToList();
    }

    private static double[] Unit(float[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return norm == 0 ? new double[v.Length] : v.Select(x => x / norm).ToArray();
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0d;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
