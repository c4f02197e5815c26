using MS2GAN.Storage.Vectors;

namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>The ranking check of approximate stores: recall against the reference, exact scores, best first.</summary>
internal static class RecallRanking
{
    /// <summary>At least 90% of the reference top k, every hit scored exactly, best first.</summary>
    public static void AssertRecall(IReadOnlyList<ReferenceHit> reference, IReadOnlyList<VectorHit> actual, int k, double tolerance)
    {
        var expectedCount = Math.Min(k, reference.Count);
        Assert.Equal(expectedCount, actual.Count);
        var top = reference.Take(expectedCount).Select(h => (h.ItemId, h.Modality)).ToHashSet();
        var recall = actual.Count(h => top.Contains((h.ItemId, h.Modality))) / (double)Math.Max(1, expectedCount);
        Assert.True(recall >= 0.9, $"recall {recall:F2}");
        var trueScore = reference.ToDictionary(h => (h.ItemId, h.Modality), h => h.Score);
        Assert.All(actual, h => Assert.InRange(h.Score, trueScore[(h.ItemId, h.Modality)] - tolerance, trueScore[(h.ItemId, h.Modality)] + tolerance));
        Assert.Equal(actual.OrderByDescending(h => h.Score).ThenBy(h => h.ItemId, StringComparer.Ordinal), actual);
    }
}
