using System.Diagnostics;

namespace MS2GAN.Integration.Tests;

/// <summary>Bounded waiting for something the pipeline does asynchronously.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="describe"/>'s words after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(describe);
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
            {
                Assert.Fail($"not within {timeout.TotalSeconds:F0} s: {await describe()}");
            }
            await Task.Delay(Interval);
        }
    }

    /// <summary>Like the other overload, for a condition that needs no I/O.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, () => Task.FromResult(describe()));
}
