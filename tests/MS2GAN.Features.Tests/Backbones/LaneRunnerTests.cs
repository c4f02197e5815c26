using System.Collections.Concurrent;
using MS2GAN.Features.Backbones;

namespace MS2GAN.Features.Tests.Backbones;

public sealed class LaneRunnerTests
{
    [Fact]
    public void Every_chunk_runs_once_and_each_lane_runs_one_chunk_at_a_time()
    {
        var runs = new ConcurrentBag<int>();
        var busy = new int[3];
        var overlapped = 0;

        LaneRunner.Run(3, 40, (lane, chunk) =>
        {
            if (Interlocked.Increment(ref busy[lane]) != 1)
            {
                Interlocked.Increment(ref overlapped);
            }
            runs.Add(chunk);
            Thread.SpinWait(1000);
            Interlocked.Decrement(ref busy[lane]);
        }, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 40), runs.Order());
        Assert.Equal(0, overlapped);
    }

    [Fact]
    public void A_failing_chunk_is_rethrown_as_itself_once_every_lane_has_stopped()
    {
        var running = 0;
        var runningWhenReturned = -1;

        var error = Assert.Throws<InvalidDataException>(() =>
        {
            try
            {
                LaneRunner.Run(2, 50, (_, chunk) =>
                {
                    Interlocked.Increment(ref running);
                    Thread.Sleep(2);
                    Interlocked.Decrement(ref running);
                    if (chunk == 3)
                    {
                        throw new InvalidDataException("chunk 3 failed");
                    }
                }, CancellationToken.None);
            }
            finally
            {
                runningWhenReturned = Volatile.Read(ref running);
            }
        });

        Assert.Equal("chunk 3 failed", error.Message);
        Assert.Equal(0, runningWhenReturned);
    }

    [Fact]
    public void A_cancelled_call_runs_no_chunk()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var runs = 0;

        Assert.Throws<OperationCanceledException>(() => LaneRunner.Run(2, 10, (_, _) => Interlocked.Increment(ref runs), cancelled.Token));
        Assert.Equal(0, runs);
    }
}
