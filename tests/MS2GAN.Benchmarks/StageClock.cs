using System.Collections.Concurrent;
using System.Diagnostics;

namespace MS2GAN.Benchmarks;

/// <summary>Time spent per named stage, summed over calls; safe for concurrent callers.</summary>
internal sealed class StageClock
{
    private readonly ConcurrentDictionary<string, long> _ticks = new(StringComparer.Ordinal);

    public async Task<T> TimeAsync<T>(string stage, Func<Task<T>> run)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await run();
        }
        finally
        {
            _ticks.AddOrUpdate(stage, Stopwatch.GetTimestamp() - start, (_, sum) => sum + Stopwatch.GetTimestamp() - start);
        }
    }

    public async Task TimeAsync(string stage, Func<Task> run) => await TimeAsync(stage, async () =>
    {
        await run();
        return true;
    });

    public double Seconds(string stage) => _ticks.TryGetValue(stage, out var ticks) ? (double)ticks / Stopwatch.Frequency : 0;
}
