using SkiaSharp;

namespace MS2GAN.Ingest.Tests;

/// <summary>Images for the tests, drawn with SkiaSharp or crafted byte by byte.</summary>
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
}
