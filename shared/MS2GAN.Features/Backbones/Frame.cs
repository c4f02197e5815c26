using SkiaSharp;

namespace MS2GAN.Features.Backbones;

/// <summary>The RGBA picture the network sees, drawn from an image: scaled to cover it, centre-cropped, over white.</summary>
internal sealed class Frame : IDisposable
{
    private readonly SKBitmap _bitmap;
    private readonly SKCanvas _canvas;

    public Frame(int width, int height)
    {
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        _canvas = new SKCanvas(_bitmap);
    }

    /// <summary>The frame's pixels as RGBA bytes, row by row, after the last <see cref="Draw"/>.</summary>
    public ReadOnlySpan<byte> Pixels => _bitmap.GetPixelSpan();

    /// <summary>Scales <paramref name="image"/> to cover the frame, centre-crops it, and composites it over white.</summary>
    /// <remarks>
    /// These pixels are the feature space: stored features and trained models depend on them, so any change here
    /// (sampling, crop, background) is a new backbone version, not an optimisation.
    /// </remarks>
    /// <exception cref="ArgumentException">The bitmap's pixels cannot be read or drawn.</exception>
    public void Draw(SKBitmap image)
    {
        int width = _bitmap.Width, height = _bitmap.Height;
        var scale = Math.Max((float)width / image.Width, (float)height / image.Height);
        var cropWidth = width / scale;
        var cropHeight = height / scale;
        var source = SKRect.Create((image.Width - cropWidth) / 2, (image.Height - cropHeight) / 2, cropWidth, cropHeight);
        // Shrinking samples trilinearly from mipmaps (no aliasing); enlarging uses the Mitchell cubic.
        var sampling = scale < 1f
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        using var pixmap = image.PeekPixels()
            ?? throw new ArgumentException("the bitmap's pixels cannot be read", nameof(image));
        using var drawable = SKImage.FromPixels(pixmap)
            ?? throw new ArgumentException($"the bitmap's colour type {image.ColorType} cannot be drawn", nameof(image));
        _canvas.Clear(SKColors.White);
        _canvas.DrawImage(drawable, source, SKRect.Create(width, height), sampling);
        _canvas.Flush();
    }

    public void Dispose()
    {
        _canvas.Dispose();
        _bitmap.Dispose();
    }
}
