using SkiaSharp;

namespace MS2GAN.Features.Demo;

/// <summary>The random choices behind one demo image, which its caption also describes.</summary>
/// <param name="Size">Width and height of the image in pixels.</param>
/// <param name="CenterX">Centre of the shape.</param>
/// <param name="CenterY">Centre of the shape.</param>
/// <param name="Radius">Half the shape's extent.</param>
/// <param name="Rotation">Degrees clockwise.</param>
/// <param name="Colour">The shape's colour after jitter.</param>
/// <param name="Background">The background tint.</param>
/// <param name="BackgroundHue">Hue of the tint in degrees, for the caption.</param>
/// <param name="BackgroundSaturation">Saturation of the tint (0-1), for the caption.</param>
/// <param name="Scratches">Faint stray lines drawn over the background.</param>
/// <param name="NoiseAmplitude">Largest per-channel pixel noise, in 0-255 units.</param>
internal sealed record DemoScene(
    int Size,
    float CenterX,
    float CenterY,
    float Radius,
    float Rotation,
    SKColor Colour,
    SKColor Background,
    float BackgroundHue,
    float BackgroundSaturation,
    int Scratches,
    int NoiseAmplitude)
{
    public static DemoScene Create(DemoClass demoClass, Random random, int size)
    {
        var radius = size * Uniform(random, 0.15f, 0.34f);
        var margin = radius * 1.05f;
        var x = Uniform(random, margin, size - margin);
        var y = Uniform(random, margin, size - margin);
        var rotation = Uniform(random, 0f, 360f);

        // Colour jitter wide enough that hue alone does not give the class away on the boundary.
        var hue = (demoClass.Hue + Uniform(random, -14f, 14f) + 360f) % 360f;
        var saturation = Math.Clamp(demoClass.Saturation + Uniform(random, -0.15f, 0.12f), 0f, 1f);
        var value = Math.Clamp(demoClass.Value + Uniform(random, -0.15f, 0.08f), 0.1f, 1f);
        var colour = SKColor.FromHsv(hue, saturation * 100f, value * 100f);

        var backgroundHue = Uniform(random, 0f, 360f);
        var backgroundSaturation = Uniform(random, 0.02f, 0.22f);
        var background = SKColor.FromHsv(backgroundHue, backgroundSaturation * 100f, Uniform(random, 88f, 100f));
        return new DemoScene(size, x, y, radius, rotation, colour, background, backgroundHue, backgroundSaturation,
            random.Next(0, 4), random.Next(6, 17));
    }

    private static float Uniform(Random random, float min, float max) => min + (float)random.NextDouble() * (max - min);
}
