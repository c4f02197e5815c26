using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using MS2GAN.Features.Onnx;
using SkiaSharp;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// The buffers of one ResNet18 batch: frames to draw images into (one per preparing thread), the planar pixels
/// of up to <see cref="Capacity"/> images (the session's input) and their features (its output), both in
/// <see cref="HostBuffer"/>s so that a CUDA session copies them to and from the device directly. Prepared, then
/// run; never both at once (the backbone alternates two of these to overlap them).
/// </summary>
internal sealed class FrameBatch : IDisposable
{
    private readonly Frame[] _frames;
    private readonly ConcurrentStack<Frame> _idleFrames;
    private readonly bool[] _prepared;
    private readonly int _width;
    private readonly int _height;
    private readonly int _dim;
    private readonly int _frameValues;

    /// <param name="session">The session the buffers are for (pinned host memory when it runs on CUDA).</param>
    /// <param name="capacity">Images per batch.</param>
    /// <param name="width">Frame width.</param>
    /// <param name="height">Frame height.</param>
    /// <param name="dim">Features per image.</param>
    /// <param name="preparers">Threads that decode and draw one batch's images at once.</param>
    public FrameBatch(OnnxSession session, int capacity, int width, int height, int dim, int preparers)
    {
        Capacity = capacity;
        _width = width;
        _height = height;
        _dim = dim;
        _frameValues = 3 * width * height;
        Items = new int[capacity];
        _prepared = new bool[capacity];
        _frames = new Frame[Math.Clamp(preparers, 1, capacity)];
        var owned = new List<IDisposable>();
        try
        {
            Pixels = Own(owned, HostBuffer.Allocate(session, capacity * _frameValues));
            Features = Own(owned, HostBuffer.Allocate(session, capacity * dim));
            for (var i = 0; i < _frames.Length; i++)
            {
                _frames[i] = Own(owned, new Frame(width, height));
            }
            _idleFrames = new ConcurrentStack<Frame>(_frames);
        }
        catch
        {
            owned.ForEach(o => o.Dispose());
            throw;
        }
    }

    public int Capacity { get; }

    /// <summary>Images in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>The caller's index of the image in each row.</summary>
    public int[] Items { get; }

    public HostBuffer Pixels { get; }

    public HostBuffer Features { get; }

    public void Clear() => Count = 0;

    /// <summary>Draws an already decoded image into the next row; returns the time the conversion ended.</summary>
    public long Add(int item, SKBitmap bitmap, ImageStageClock clock, long since)
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"the batch already holds {Capacity} images");
        }
        since = Draw(_frames[0], bitmap, Count, clock, since);
        Items[Count++] = item;
        return since;
    }

    /// <summary>
    /// Decodes, draws and converts images <paramref name="start"/> to <paramref name="end"/> (exclusive) into this
    /// batch, on as many threads as it has frames; an image that cannot be used goes to <paramref name="refused"/>
    /// and takes no row.
    /// </summary>
    public void Prepare(int start, int end, Func<int, ReadOnlyMemory<byte>> image, long maxPixels, Action<int, string> refused, ImageStageClock clock)
    {
        var rows = end - start;
        if (rows > Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"{rows} images do not fit a batch of {Capacity}");
        }
        void PrepareRow(int row, Frame frame)
        {
            var started = ImageStageClock.Now;
            SKBitmap bitmap;
            try
            {
                bitmap = ImageDecoder.Decode(image(start + row).Span, maxPixels, _width, _height);
            }
            catch (InvalidDataException ex)
            {
                _prepared[row] = false;
                clock.Image();
                refused(start + row, ex.Message);
                return;
            }
            using (bitmap)
            {
                Draw(frame, bitmap, row, clock, clock.Decoded(started));
            }
            _prepared[row] = true;
        }

        if (_frames.Length == 1 || rows == 1)
        {
            for (var row = 0; row < rows; row++)
            {
                PrepareRow(row, _frames[0]);
            }
        }
        else
        {
            // Each thread borrows a frame of its own for its share of the rows (SkiaSharp canvases are not shared).
            Parallel.For(0, rows, new ParallelOptions { MaxDegreeOfParallelism = _frames.Length },
                () => _idleFrames.TryPop(out var frame) ? frame : throw new InvalidOperationException("more preparing threads than frames"),
                (row, _, frame) =>
                {
                    PrepareRow(row, frame);
                    return frame;
                },
                _idleFrames.Push);
        }

        // Rows of refused images are closed up so that the session runs only images (a rare copy of one frame each).
        Count = 0;
        for (var row = 0; row < rows; row++)
        {
            if (!_prepared[row])
            {
                continue;
            }
            if (Count != row)
            {
                Pixels.Span.Slice(row * _frameValues, _frameValues).CopyTo(Pixels.Span.Slice(Count * _frameValues, _frameValues));
            }
            Items[Count++] = start + row;
        }
    }

    /// <summary>Runs the rows filled so far through <paramref name="session"/> into <see cref="Features"/>.</summary>
    public void Run(OnnxSession session, string[] inputNames, string[] outputNames, RunOptions runOptions)
    {
        using var input = Pixels.View(Count, 3, _height, _width);
        using var output = Features.View(Count, _dim, 1, 1);
        session.Session.Run(runOptions, inputNames, [input], outputNames, [output]);
    }

    public ReadOnlySpan<float> FeaturesOf(int row) => Features.Span.Slice(row * _dim, _dim);

    public void Dispose()
    {
        Array.ForEach(_frames, f => f.Dispose());
        Features.Dispose();
        Pixels.Dispose();
    }

    /// <summary>Draws the bitmap into <paramref name="frame"/> and converts it into <paramref name="row"/>; returns when that ended.</summary>
    private long Draw(Frame frame, SKBitmap bitmap, int row, ImageStageClock clock, long since)
    {
        frame.Draw(bitmap);
        since = clock.Drawn(since);
        ToPlanarRgb(frame.Pixels, Pixels.Span.Slice(row * _frameValues, _frameValues));
        clock.Image();
        return clock.Converted(since);
    }

    /// <summary>RGBA bytes (opaque after drawing over white) to planar R, G, B planes of 0-255 floats.</summary>
    /// <remarks>
    /// RGB, not BGR, is what the preprocessing graph takes: it splits its input into planes it names
    /// RInp, GInp, BInp, concatenates them as B, G, R and subtracts a mean image whose planes average
    /// 103, 116 and 123 (the ImageNet B, G, R means). The network after it sees BGR, as it was trained;
    /// ML.NET feeds this graph RGB too (ExtractPixels' default order).
    /// </remarks>
    internal static void ToPlanarRgb(ReadOnlySpan<byte> rgba, Span<float> planar)
    {
        var plane = planar.Length / 3;
        var red = planar[..plane];
        var green = planar.Slice(plane, plane);
        var blue = planar.Slice(2 * plane, plane);
        rgba = rgba[..(4 * plane)];
        for (int i = 0, p = 0; i < plane; i++, p += 4)
        {
            red[i] = rgba[p];
            green[i] = rgba[p + 1];
            blue[i] = rgba[p + 2];
        }
    }

    private static T Own<T>(List<IDisposable> owned, T item) where T : IDisposable
    {
        owned.Add(item);
        return item;
    }
}
