using System.Buffers.Binary;
using MS2GAN.Features.Demo;
using SkiaSharp;

namespace MS2GAN.TestSupport;

/// <summary>Images for the tests: small drawn PNGs, demo samples, re-encodings of them, and JPEGs with EXIF orientation.</summary>
public static class TestImages
{
    /// <summary>A small real PNG: a coloured square on a background.</summary>
    public static byte[] Png(int size = 16, SKColor? color = null)
    {
        using var bitmap = new SKBitmap(size, size);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var paint = new SKPaint { Color = color ?? SKColors.Red };
            canvas.DrawRect(size / 4f, size / 4f, size / 2f, size / 2f, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The PNG of one demo sample.</summary>
    public static byte[] DemoPng(int classIndex = 0, int index = 0, int seed = 1) =>
        DemoDataGenerator.CreateSample(classIndex, index, seed).Png;

    /// <summary>Decodes, optionally rescales, and re-encodes an image in another format.</summary>
    public static byte[] Reencode(byte[] image, SKEncodedImageFormat format, int quality = 95, int? size = null)
    {
        using var bitmap = SKBitmap.Decode(image);
        using var scaled = size is { } s ? bitmap.Resize(new SKImageInfo(s, s), new SKSamplingOptions(SKCubicResampler.Mitchell)) : bitmap.Copy();
        using var data = scaled.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>
    /// The picture as a camera would store it with EXIF orientation <paramref name="orientation"/> (1-8):
    /// its pixels laid out so that applying the orientation shows <paramref name="upright"/>.
    /// Built pixel by pixel from the EXIF definitions, independently of the code under test.
    /// </summary>
    public static SKBitmap StoredFor(SKBitmap upright, int orientation)
    {
        int w = upright.Width, h = upright.Height;
        var swap = orientation >= 5;
        var (sw, sh) = swap ? (h, w) : (w, h);
        var stored = new SKBitmap(new SKImageInfo(sw, sh, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                // Where the displayed pixel (x, y) lives in the stored image.
                var (sx, sy) = orientation switch
                {
                    1 => (x, y),
                    2 => (sw - 1 - x, y),
                    3 => (sw - 1 - x, sh - 1 - y),
                    4 => (x, sh - 1 - y),
                    5 => (y, x),
                    6 => (y, sh - 1 - x),
                    7 => (sw - 1 - y, sh - 1 - x),
                    8 => (sw - 1 - y, x),
                    _ => throw new ArgumentOutOfRangeException(nameof(orientation)),
                };
                stored.SetPixel(sx, sy, upright.GetPixel(x, y));
            }
        }
        return stored;
    }

    /// <summary>A JPEG of <paramref name="bitmap"/> carrying an EXIF APP1 segment with the given orientation tag.</summary>
    public static byte[] JpegWithOrientation(SKBitmap bitmap, int orientation)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 100);
        var jpeg = data.ToArray();
        // "Exif\0\0", big-endian TIFF header, one IFD with one SHORT entry: 0x0112 Orientation.
        byte[] exif =
        [
            (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,
            0, 1,
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0,
            0, 0, 0, 0,
        ];
        var segment = new byte[4 + exif.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(exif.Length + 2));
        exif.CopyTo(segment, 4);
        // Right after the start-of-image marker.
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }
}
