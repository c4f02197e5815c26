using System.Globalization;
using SkiaSharp;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// Decodes uploaded image bytes with SkiaSharp into upright RGBA bitmaps, refusing what is not a
/// JPEG, PNG or WebP image and what is larger than a pixel budget before any pixel is decoded.
/// </summary>
internal static class ImageDecoder
{
    public const string NotAnImage = "the data is not a JPEG, PNG or WebP image";

    /// <summary>
    /// Decodes <paramref name="encoded"/>. JPEG and WebP images much larger than the
    /// <paramref name="coverWidth"/> x <paramref name="coverHeight"/> they will be drawn into are decoded
    /// at a reduced scale (still covering it), which is faster and samples better than decoding in full.
    /// </summary>
    /// <exception cref="InvalidDataException">The data is empty, not a supported image, too large or corrupt.</exception>
    public static SKBitmap Decode(ReadOnlySpan<byte> encoded, long maxPixels, int coverWidth, int coverHeight)
    {
        if (encoded.IsEmpty)
        {
            throw new InvalidDataException($"{NotAnImage}: it is empty");
        }
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"{NotAnImage} (or it is too damaged to read its header)");
        var format = codec.EncodedFormat;
        if (format is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp))
        {
            throw new InvalidDataException($"{NotAnImage}: found the {format} format");
        }
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var pixels = (long)width * height;
        if (width <= 0 || height <= 0)
        {
            throw new InvalidDataException($"the {format} image has no pixels ({width}x{height})");
        }
        if (pixels > maxPixels)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"the {format} image is {width}x{height} ({pixels / 1e6:0.#} megapixels), more than the limit of {maxPixels / 1e6:0.#} megapixels"));
        }

        var origin = codec.EncodedOrigin;
        // Orientations 5 to 8 store the picture transposed: compare against the transposed target.
        var (coverStoredWidth, coverStoredHeight) = SwapsAxes(origin) ? (coverHeight, coverWidth) : (coverWidth, coverHeight);
        var size = DecodeSize(codec, coverStoredWidth, coverStoredHeight);
        var bitmap = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        try
        {
            var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
            {
                throw new InvalidDataException($"the {format} image could not be decoded ({result}): the data is truncated or corrupt");
            }
            return Orient(bitmap, origin);
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    private static SKSizeI DecodeSize(SKCodec codec, int coverWidth, int coverHeight)
    {
        var full = new SKSizeI(codec.Info.Width, codec.Info.Height);
        var scale = Math.Max((float)coverWidth / full.Width, (float)coverHeight / full.Height);
        if (scale >= 1f)
        {
            return full;
        }
        var scaled = codec.GetScaledDimensions(scale);
        return scaled.Width >= coverWidth && scaled.Height >= coverHeight && scaled.Width <= full.Width && scaled.Height <= full.Height
            ? scaled
            : full;
    }

    private static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>Applies the EXIF orientation, so the model sees the picture the way people do.</summary>
    private static SKBitmap Orient(SKBitmap stored, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            return stored;
        }
        float w = stored.Width, h = stored.Height;
        // x' = a*x + b*y + c, y' = d*x + e*y + f for each EXIF orientation (source pixel to upright pixel).
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => SKMatrix.Identity,
        };
        var upright = SwapsAxes(origin)
            ? new SKBitmap(new SKImageInfo(stored.Height, stored.Width, SKColorType.Rgba8888, SKAlphaType.Premul))
            : new SKBitmap(stored.Info);
        using (stored)
        using (var canvas = new SKCanvas(upright))
        {
            canvas.Clear(SKColors.Transparent);
            canvas.SetMatrix(matrix);
            canvas.DrawBitmap(stored, 0, 0);
        }
        return upright;
    }
}
