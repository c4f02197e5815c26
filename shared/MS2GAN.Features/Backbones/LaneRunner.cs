using System.Runtime.ExceptionServices;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// Runs the chunks of a batched call on several threads at once, each taking the next chunk in turn: the backbones'
/// way of keeping every core busy with whole session runs of one thread each, rather than spreading each run over
/// all cores (where every operator waits for the slowest thread).
/// </summary>
internal static class LaneRunner
{
    /// <summary>
    /// Calls <paramref name="work"/>(lane, chunk) once for every chunk from 0 to <paramref name="chunks"/> - 1, on
    /// <paramref name="lanes"/> threads (the caller's is lane 0). A failure stops the other lanes after their current
    /// chunk and is rethrown once every lane has stopped; so is cancellation, checked before each chunk.
    /// </summary>
    public static void Run(int lanes, int chunks, Action<int, int> work, CancellationToken cancellationToken)
    {
        var next = -1;

        void Lane(int lane)
        {
            try
            {
                int chunk;
                while ((chunk = Interlocked.Increment(ref next)) < chunks)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    work(lane, chunk);
                }
            }
            catch
            {
                Interlocked.Exchange(ref next, chunks);
                throw;
            }
        }

        var others = new Task[Math.Max(0, Math.Min(lanes, chunks) - 1)];
        for (var i = 0; i < others.Length; i++)
        {
            var lane = i + 1;
            others[i] = Task.Factory.StartNew(() => Lane(lane), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        Exception? failure = null;
        try
        {
            Lane(0);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        // Every lane has stopped before the caller's buffers are used again, whatever failed.
        foreach (var other in others)
        {
            ((IAsyncResult)other).AsyncWaitHandle.WaitOne();
            failure ??= other.Exception?.InnerException;
        }
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }
}
