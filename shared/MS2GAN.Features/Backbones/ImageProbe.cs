using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// Checks uploaded image bytes the way the image backbone will read them, without keeping a decoded
/// bitmap: is this a JPEG, PNG or WebP image within a pixel budget, and do its pixels decode? Ingest
/// uses it to refuse bad images at the door instead of failing them later in the encoder.
/// </summary>
public static class ImageProbe
{
    /// <summary>The MIME type of JPEG images.</summary>
    public const string Jpeg = "image/jpeg";

    /// <summary>The MIME type of PNG images.</summary>
    public const string Png = "image/png";

    /// <summary>The MIME type of WebP images.</summary>
    public const string WebP = "image/webp";

    // Scale used to check WebP pixel data, which Skia cannot read row by row: decoding at 1/8 still
    // runs the whole entropy decoder over the data but writes 1/64 of the pixels.
    private const float WebPCheckScale = 0.125f;

    /// <summary>
    /// Checks <paramref name="encoded"/>. The header (format, width, height) is read first, so an image
    /// over <paramref name="maxPixels"/> is refused before any pixel is decoded. With
    /// <paramref name="verifyPixels"/> the pixel data is then decoded one row at a time into a single
    /// reused row (JPEG, PNG) or at 1/8 scale (WebP), which finds truncated or corrupt data at a small
    /// fraction of the memory of a full decode.
    /// </summary>
    /// <param name="encoded">The image bytes as uploaded.</param>
    /// <param name="maxPixels">The largest width x height accepted.</param>
    /// <param name="contentType">The MIME type found (<see cref="Jpeg"/>, <see cref="Png"/> or <see cref="WebP"/>); empty when refused.</param>
    /// <param name="error">Why the bytes were refused, in words a client can act on; null when accepted.</param>
    /// <param name="verifyPixels">Also decode the pixel data (true), or trust the header alone (false).</param>
    /// <returns>True when the image is acceptable.</returns>
    public static bool TryProbe(ReadOnlySpan<byte> encoded, long maxPixels, out string contentType, out string? error, bool verifyPixels = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        contentType = "";
        if (encoded.IsEmpty)
        {
            error = $"{ImageDecoder.NotAnImage}: it is empty";
            return false;
        }
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            error = $"{ImageDecoder.NotAnImage} (or it is too damaged to read its header)";
            return false;
        }
        var format = codec.EncodedFormat;
        var mimeType = format switch
        {
            SKEncodedImageFormat.Jpeg => Jpeg,
            SKEncodedImageFormat.Png => Png,
            SKEncodedImageFormat.Webp => WebP,
            _ => null,
        };
        if (mimeType is null)
        {
            error = $"{ImageDecoder.NotAnImage}: found the {format} format";
            return false;
        }
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
        {
            error = $"the {format} image has no pixels ({width}x{height})";
            return false;
        }
        var pixels = (long)width * height;
        if (pixels > maxPixels)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"the {format} image is {width}x{height} ({pixels / 1e6:0.#} megapixels), more than the limit of {maxPixels / 1e6:0.#} megapixels");
            return false;
        }
        if (verifyPixels)
        {
            var result = format == SKEncodedImageFormat.Webp ? DecodeScaled(codec) : DecodeRows(codec);
            if (result is not SKCodecResult.Success)
            {
                error = $"the {format} image could not be decoded ({result}): the data is truncated or corrupt";
                return false;
            }
        }
        contentType = mimeType;
        error = null;
        return true;
    }

    private static SKCodecResult DecodeRows(SKCodec codec)
    {
        var rowInfo = new SKImageInfo(codec.Info.Width, 1, SKColorType.Rgba8888, SKAlphaType.Premul);
        var info = rowInfo.WithSize(codec.Info.Width, codec.Info.Height);
        var start = codec.StartScanlineDecode(info);
        if (start == SKCodecResult.Unimplemented)
        {
            return DecodeScaled(codec);
        }
        if (start != SKCodecResult.Success)
        {
            return start;
        }
        var row = ArrayPool<byte>.Shared.Rent(rowInfo.RowBytes);
        var handle = GCHandle.Alloc(row, GCHandleType.Pinned);
        try
        {
            var address = handle.AddrOfPinnedObject();
            for (var y = 0; y < info.Height; y++)
            {
                if (codec.GetScanlines(address, 1, rowInfo.RowBytes) != 1)
                {
                    return SKCodecResult.IncompleteInput;
                }
            }
            return SKCodecResult.Success;
        }
        finally
        {
            handle.Free();
            ArrayPool<byte>.Shared.Return(row);
        }
    }

    private static SKCodecResult DecodeScaled(SKCodec codec)
    {
        var size = codec.GetScaledDimensions(WebPCheckScale);
        if (size.Width <= 0 || size.Height <= 0)
        {
            size = new SKSizeI(codec.Info.Width, codec.Info.Height);
        }
        using var bitmap = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        return codec.GetPixels(bitmap.Info, bitmap.GetPixels());
    }
}
