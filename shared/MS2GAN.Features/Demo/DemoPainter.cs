using SkiaSharp;

namespace MS2GAN.Features.Demo;

/// <summary>Draws a <see cref="DemoScene"/>: tinted background, stray scratches, the textured shape, pixel noise.</summary>
internal static class DemoPainter
{
    public static SKBitmap Paint(DemoClass demoClass, DemoScene scene, Random random)
    {
        var bitmap = new SKBitmap(new SKImageInfo(scene.Size, scene.Size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(scene.Background);
            DrawScratches(canvas, scene, random);
            canvas.Save();
            canvas.Translate(scene.CenterX, scene.CenterY);
            canvas.RotateDegrees(scene.Rotation);
            DrawShape(canvas, demoClass, scene.Radius, scene.Colour, random);
            canvas.Restore();
        }
        AddNoise(bitmap.GetPixelSpan(), scene.NoiseAmplitude, random);
        return bitmap;
    }

    /// <summary>PNG bytes of a bitmap (RGB, since the demo images are opaque).</summary>
    public static byte[] EncodePng(SKBitmap bitmap)
    {
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, zLibLevel: 6))
            ?? throw new InvalidOperationException("SkiaSharp could not encode the demo image as PNG");
        return data.ToArray();
    }

    private static void DrawScratches(SKCanvas canvas, DemoScene scene, Random random)
    {
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
        for (var i = 0; i < scene.Scratches; i++)
        {
            var grey = (byte)random.Next(40, 160);
            paint.Color = new SKColor(grey, grey, grey, (byte)random.Next(40, 90));
            paint.StrokeWidth = 0.8f + (float)random.NextDouble() * 1.4f;
            canvas.DrawLine(Point(random, scene.Size), Point(random, scene.Size), paint);
        }
    }

    private static void DrawShape(SKCanvas canvas, DemoClass demoClass, float r, SKColor colour, Random random)
    {
        using var paint = new SKPaint { IsAntialias = true, Color = colour, Style = SKPaintStyle.Fill };
        if (demoClass.Shape == DemoShape.Spiral)
        {
            using var spiral = Spiral(r, turns: 3.25f);
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = r * 0.14f;
            paint.StrokeCap = SKStrokeCap.Round;
            canvas.DrawPath(spiral, paint);
            return;
        }

        using var outline = Outline(demoClass.Shape, r);
        switch (demoClass.Texture)
        {
            case DemoTexture.Gradient:
                paint.Shader = SKShader.CreateLinearGradient(new SKPoint(-r, -r), new SKPoint(r, r),
                    [Lighten(colour, 0.45f), Darken(colour, 0.5f)], SKShaderTileMode.Clamp);
                break;
            case DemoTexture.Glow:
                paint.Shader = SKShader.CreateRadialGradient(new SKPoint(0, -r * 0.1f), r,
                    [Lighten(colour, 0.65f), colour, Darken(colour, 0.7f)], [0f, 0.55f, 1f], SKShaderTileMode.Clamp);
                break;
        }
        canvas.DrawPath(outline, paint);
        paint.Shader = null;

        canvas.Save();
        canvas.ClipPath(outline, SKClipOperation.Intersect, antialias: true);
        switch (demoClass.Texture)
        {
            case DemoTexture.Dots:
                Dots(canvas, paint, r, Lighten(colour, 0.75f), random);
                break;
            case DemoTexture.Stripes:
                Stripes(canvas, paint, r, Lighten(colour, 0.6f), random);
                break;
            case DemoTexture.Checker:
                Checker(canvas, paint, r, Darken(colour, 0.55f), random);
                break;
            case DemoTexture.Grid:
                Grid(canvas, paint, r, Darken(colour, 0.5f), random);
                break;
        }
        canvas.Restore();

        if (demoClass.Texture == DemoTexture.Outline)
        {
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = r * 0.13f;
            paint.StrokeJoin = SKStrokeJoin.Round;
            paint.Color = Darken(colour, 0.45f);
            canvas.DrawPath(outline, paint);
        }
    }

    private static SKPath Outline(DemoShape shape, float r)
    {
        var path = new SKPath();
        switch (shape)
        {
            case DemoShape.Circle:
                path.AddCircle(0, 0, r);
                break;
            case DemoShape.Square:
                path.AddRect(new SKRect(-r * 0.82f, -r * 0.82f, r * 0.82f, r * 0.82f));
                break;
            case DemoShape.Triangle:
                path.AddPoly(Polygon(3, r, r));
                break;
            case DemoShape.Star:
                path.AddPoly(Polygon(5, r, r * 0.45f));
                break;
            case DemoShape.Hexagon:
                path.AddPoly(Polygon(6, r, r));
                break;
            case DemoShape.Cross:
                var w = r * 0.32f;
                path.AddPoly(
                [
                    new(-w, -r), new(w, -r), new(w, -w), new(r, -w), new(r, w), new(w, w),
                    new(w, r), new(-w, r), new(-w, w), new(-r, w), new(-r, -w), new(-w, -w),
                ]);
                break;
            case DemoShape.Ring:
                path.FillType = SKPathFillType.EvenOdd;
                path.AddCircle(0, 0, r);
                path.AddCircle(0, 0, r * 0.58f);
                break;
            case DemoShape.Heart:
                path.AddPoly(Heart(r));
                break;
            case DemoShape.Diamond:
                path.AddPoly([new(0, -r), new(r * 0.68f, 0), new(0, r), new(-r * 0.68f, 0)]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, "not a filled shape");
        }
        return path;
    }

    /// <summary>A regular polygon (equal radii) or star (alternating radii), first vertex pointing up.</summary>
    private static SKPoint[] Polygon(int corners, float outer, float inner)
    {
        var star = Math.Abs(outer - inner) > 1e-3f;
        var count = star ? corners * 2 : corners;
        var points = new SKPoint[count];
        for (var i = 0; i < count; i++)
        {
            var angle = -Math.PI / 2 + 2 * Math.PI * i / count;
            var radius = star && i % 2 == 1 ? inner : outer;
            points[i] = new SKPoint((float)(radius * Math.Cos(angle)), (float)(radius * Math.Sin(angle)));
        }
        return points;
    }

    private static SKPoint[] Heart(float r)
    {
        const int Count = 72;
        var points = new SKPoint[Count];
        for (var i = 0; i < Count; i++)
        {
            var t = 2 * Math.PI * i / Count;
            var x = 16 * Math.Pow(Math.Sin(t), 3);
            var y = -(13 * Math.Cos(t) - 5 * Math.Cos(2 * t) - 2 * Math.Cos(3 * t) - Math.Cos(4 * t));
            // The curve spans about -12..17 vertically: shift it so the shape is centred.
            points[i] = new SKPoint((float)(x * r / 17), (float)((y - 2.5) * r / 15));
        }
        return points;
    }

    private static SKPath Spiral(float r, float turns)
    {
        const int Steps = 140;
        var path = new SKPath();
        var maxAngle = turns * 2 * Math.PI;
        for (var i = 0; i <= Steps; i++)
        {
            var angle = maxAngle * i / Steps;
            var radius = r * (0.08 + 0.92 * i / Steps);
            var point = new SKPoint((float)(radius * Math.Cos(angle)), (float)(radius * Math.Sin(angle)));
            if (i == 0)
            {
                path.MoveTo(point);
            }
            else
            {
                path.LineTo(point);
            }
        }
        return path;
    }

    private static void Dots(SKCanvas canvas, SKPaint paint, float r, SKColor colour, Random random)
    {
        paint.Color = colour;
        paint.Style = SKPaintStyle.Fill;
        var spacing = r * 0.42f;
        var offset = (float)random.NextDouble() * spacing;
        for (var x = -r - spacing + offset; x <= r + spacing; x += spacing)
        {
            for (var y = -r - spacing + offset; y <= r + spacing; y += spacing)
            {
                canvas.DrawCircle(x, y, spacing * 0.22f, paint);
            }
        }
    }

    private static void Stripes(SKCanvas canvas, SKPaint paint, float r, SKColor colour, Random random)
    {
        paint.Color = colour;
        paint.Style = SKPaintStyle.Fill;
        var spacing = r * 0.3f;
        var offset = (float)random.NextDouble() * spacing;
        for (var x = -r - spacing + offset; x <= r + spacing; x += spacing)
        {
            canvas.DrawRect(new SKRect(x, -r * 1.5f, x + spacing * 0.45f, r * 1.5f), paint);
        }
    }

    private static void Checker(SKCanvas canvas, SKPaint paint, float r, SKColor colour, Random random)
    {
        paint.Color = colour;
        paint.Style = SKPaintStyle.Fill;
        var cell = r * 0.36f;
        var parity = random.Next(2);
        var cells = (int)Math.Ceiling(r / cell) + 1;
        for (var i = -cells; i < cells; i++)
        {
            for (var j = -cells; j < cells; j++)
            {
                if (((i + j) & 1) == parity)
                {
                    canvas.DrawRect(SKRect.Create(i * cell, j * cell, cell, cell), paint);
                }
            }
        }
    }

    private static void Grid(SKCanvas canvas, SKPaint paint, float r, SKColor colour, Random random)
    {
        paint.Color = colour;
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = Math.Max(1f, r * 0.05f);
        var spacing = r * 0.25f;
        var offset = (float)random.NextDouble() * spacing;
        for (var v = -r - spacing + offset; v <= r + spacing; v += spacing)
        {
            canvas.DrawLine(v, -r, v, r, paint);
            canvas.DrawLine(-r, v, r, v, paint);
        }
    }

    private static void AddNoise(Span<byte> rgba, int amplitude, Random random)
    {
        for (var p = 0; p < rgba.Length; p += 4)
        {
            for (var c = 0; c < 3; c++)
            {
                rgba[p + c] = (byte)Math.Clamp(rgba[p + c] + random.Next(-amplitude, amplitude + 1), 0, 255);
            }
        }
    }

    private static SKPoint Point(Random random, int size) =>
        new((float)random.NextDouble() * size, (float)random.NextDouble() * size);

    private static SKColor Lighten(SKColor colour, float amount) => new(
        (byte)(colour.Red + (255 - colour.Red) * amount),
        (byte)(colour.Green + (255 - colour.Green) * amount),
        (byte)(colour.Blue + (255 - colour.Blue) * amount));

    private static SKColor Darken(SKColor colour, float factor) =>
        new((byte)(colour.Red * factor), (byte)(colour.Green * factor), (byte)(colour.Blue * factor));
}
