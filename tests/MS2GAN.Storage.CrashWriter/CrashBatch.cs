using MS2GAN.Storage.Vectors;

namespace MS2GAN.Storage.CrashWriter;

/// <summary>The records the crash writer writes, reproducible by the test that checks them.</summary>
public static class CrashBatch
{
    public const string Index = "crash";
    public const int Dim = 16;
    public const int Size = 40;

    public static List<VectorRecord> Records(int round, int batch)
    {
        var random = new Random((round * 100_003) + batch);
        return [.. Enumerable.Range(0, Size).Select(i => new VectorRecord(
            $"r{round}-b{batch}-{i}", i % 2 == 0 ? VectorModalities.Image : VectorModalities.Text,
            Vector(random), Vector(random), [$"l{i % 3}"], new Dictionary<string, string>()))];
    }

    private static float[] Vector(Random random) => [.. Enumerable.Range(0, Dim).Select(_ => (float)((random.NextDouble() * 2) - 1))];
}
