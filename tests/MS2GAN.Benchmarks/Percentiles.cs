namespace MS2GAN.Benchmarks;

/// <summary>Nearest-rank percentiles of a set of durations, in milliseconds.</summary>
public static class Percentiles
{
    public static double Of(IReadOnlyList<double> sortedMs, double percent)
    {
        if (sortedMs.Count == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(percent / 100.0 * sortedMs.Count);
        return sortedMs[Math.Clamp(rank - 1, 0, sortedMs.Count - 1)];
    }

    public static List<double> Sorted(IEnumerable<double> values)
    {
        var list = values.ToList();
        list.Sort();
        return list;
    }
}
