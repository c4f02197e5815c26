using System.Diagnostics;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// The running totals behind <see cref="ImageStageTimes"/>: one timestamp per stage and image (about 20 ns each,
/// against milliseconds of work), added atomically because lanes run on different threads.
/// </summary>
internal sealed class ImageStageClock
{
    private long _images;
    private long _batches;
    private long _decoding;
    private long _drawing;
    private long _converting;
    private long _session;
    private long _copying;

    public static long Now => Stopwatch.GetTimestamp();

    public void Image() => Interlocked.Increment(ref _images);

    public void Batch() => Interlocked.Increment(ref _batches);

    public long Decoded(long since) => Add(ref _decoding, since);

    public long Drawn(long since) => Add(ref _drawing, since);

    public long Converted(long since) => Add(ref _converting, since);

    public long Ran(long since) => Add(ref _session, since);

    public long Copied(long since) => Add(ref _copying, since);

    public ImageStageTimes Snapshot() => new(Volatile.Read(ref _images), Volatile.Read(ref _batches), Time(ref _decoding),
        Time(ref _drawing), Time(ref _converting), Time(ref _session), Time(ref _copying));

    /// <summary>Adds the time since <paramref name="since"/> to a total and returns now, the start of the next stage.</summary>
    private static long Add(ref long total, long since)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref total, now - since);
        return now;
    }

    private static TimeSpan Time(ref long ticks) => Stopwatch.GetElapsedTime(0, Volatile.Read(ref ticks));
}
