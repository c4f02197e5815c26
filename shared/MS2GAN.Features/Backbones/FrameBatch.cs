using Microsoft.ML.OnnxRuntime;
using MS2GAN.Features.Onnx;
using SkiaSharp;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// The buffers of one ResNet18 batch: a frame to draw each image into, the planar pixels of up to
/// <see cref="Capacity"/> images (the session's input) and their features (its output), both in
/// <see cref="HostBuffer"/>s so that a CUDA session copies them to and from the device directly. Filled by one
/// thread, then run; never both at once (the backbone alternates two of these to overlap them).
/// </summary>
internal sealed class FrameBatch : IDisposable
{
    private readonly SKBitmap _frame;
    private readonly SKCanvas _canvas;
    private readonly int _width;
    private readonly int _height;
    private readonly int _dim;
    private readonly int _frameValues;

    public FrameBatch(OnnxSession session, int capacity, int width, int height, int dim)
    {
        Capacity = capacity;
        _width = width;
        _height = height;
        _dim = dim;
        _frameValues = 3 * width * height;
        Items = new int[capacity];
        var owned = new List<IDisposable>();
        try
        {
            Pixels = Own(owned, HostBuffer.Allocate(session, capacity * _frameValues));
            Features = Own(owned, HostBuffer.Allocate(session, capacity * dim));
            _frame = Own(owned, new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul)));
            _canvas = Own(owned, new SKCanvas(_frame));
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

    /// <summary>Draws <paramref name="bitmap"/> into the next row; returns the time the conversion ended.</summary>
    public long Add(int item, SKBitmap bitmap, ImageStageClock clock, long since)
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"the batch already holds {Capacity} images");
        }
        DrawFrame(bitmap);
        since = clock.Drawn(since);
        ToPlanarRgb(_frame.GetPixelSpan(), Pixels.Span.Slice(Count * _frameValues, _frameValues));
        Items[Count++] = item;
        clock.Image();
        return clock.Converted(since);
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
        _canvas.Dispose();
        _frame.Dispose();
        Features.Dispose();
        Pixels.Dispose();
    }

    /// <summary>Scales the bitmap to cover the frame, centre-crops it, and composites it over white.</summary>
    /// <remarks>
    /// These pixels are the feature space: stored features and trained models depend on them, so any change here
    /// (sampling, crop, background) is a new backbone version, not an optimisation.
    /// </remarks>
    private void DrawFrame(SKBitmap bitmap)
    {
        var scale = Math.Max((float)_width / bitmap.Width, (float)_height / bitmap.Height);
        var cropWidth = _width / scale;
        var cropHeight = _height / scale;
        var source = SKRect.Create((bitmap.Width - cropWidth) / 2, (bitmap.Height - cropHeight) / 2, cropWidth, cropHeight);
        // Shrinking samples trilinearly from mipmaps (no aliasing); enlarging uses the Mitchell cubic.
        var sampling = scale < 1f
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        using var pixmap = bitmap.PeekPixels()
            ?? throw new ArgumentException("the bitmap's pixels cannot be read", nameof(bitmap));
        using var image = SKImage.FromPixels(pixmap)
            ?? throw new ArgumentException($"the bitmap's colour type {bitmap.ColorType} cannot be drawn", nameof(bitmap));
        _canvas.Clear(SKColors.White);
        _canvas.DrawImage(image, source, SKRect.Create(_width, _height), sampling);
        _canvas.Flush();
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
