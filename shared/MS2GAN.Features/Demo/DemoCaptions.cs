namespace MS2GAN.Features.Demo;

/// <summary>
/// Writes a caption for a demo image from sentence templates and per-class synonyms. Size, position,
/// background and tilt words come from the scene, so a caption is true of its own picture.
/// </summary>
internal static class DemoCaptions
{
    private static readonly string[] Small = ["small", "little", "tiny", "modest"];
    private static readonly string[] Medium = ["medium-sized", "mid-sized", "fair-sized", "average-sized"];
    private static readonly string[] Large = ["large", "big", "huge", "bold, large"];
    private static readonly string[] Tilted = ["tilted", "slanted", "rotated", "turned"];
    private static readonly string[] Upright = ["upright", "level", "straight", "squarely placed"];
    private static readonly string[] Round = ["neat", "tidy", "simple", "clear"];
    private static readonly string[] Grainy = ["grainy", "noisy", "speckled-looking", "rough"];
    private static readonly string[] Clean = ["clean", "crisp", "simple", "plain"];

    private static readonly Func<Words, string>[] Templates =
    [
        w => $"{A(w.Size)} {w.Size} {w.Colour} {w.Shape} {w.Where}",
        w => $"{Cap(A(w.Texture))} {w.Texture} {w.Colour} {w.Shape} on {A(w.Background)} {w.Background} background",
        w => $"A photo of {A(w.Colour)} {w.Colour} {w.Shape} {w.TexturePhrase}",
        w => $"This picture shows {A(w.Size)} {w.Size} {w.Shape} in {w.Colour}, {w.TexturePhrase}.",
        w => $"{Cap(w.Colour)} {w.Shape}, {w.Texture}, {w.Where}",
        w => $"There is {A(w.Texture)} {w.Texture} {w.Shape} {w.Where}; it is {w.Colour}.",
        w => $"Close-up of {A(w.Colour)} {w.Colour} {w.Texture} {w.Shape} against {A(w.Background)} {w.Background} backdrop",
        w => $"{Cap(A(w.Tilt))} {w.Tilt} {w.Colour} {w.Shape} {w.TexturePhrase}",
        w => $"An illustration: {w.Colour} {w.Shape} {w.TexturePhrase} on {w.Background} paper",
        w => $"a {w.Quality} drawing of {A(w.Shape)} {w.Shape} coloured {w.Colour}, {w.Where}",
        w => $"{Cap(A(w.Quality))} {w.Quality} image with {A(w.Size)} {w.Size} {w.Texture} {w.Shape} in {w.Colour}",
        w => $"{Cap(w.Where)} sits {A(w.Colour)} {w.Colour} {w.Shape} {w.TexturePhrase}",
    ];

    public static string Write(DemoClass demoClass, DemoScene scene, Random random)
    {
        var relativeSize = scene.Radius / scene.Size;
        var words = new Words(
            Shape: Pick(random, demoClass.ShapeWords),
            Colour: Pick(random, demoClass.ColourWords),
            Texture: Pick(random, demoClass.TextureAdjectives),
            TexturePhrase: Pick(random, demoClass.TexturePhrases),
            Size: Pick(random, relativeSize < 0.21f ? Small : relativeSize < 0.28f ? Medium : Large),
            Where: Pick(random, Where(scene)),
            Background: Pick(random, BackgroundNames(scene)),
            Tilt: Pick(random, !ShowsRotation(demoClass.Shape) ? Round : NearlyUpright(demoClass.Shape, scene.Rotation) ? Upright : Tilted),
            Quality: Pick(random, scene.NoiseAmplitude >= 12 || scene.Scratches >= 2 ? Grainy : Clean));
        return Pick(random, Templates)(words);
    }

    private static string[] Where(DemoScene scene)
    {
        var third = scene.Size / 3f;
        var column = scene.CenterX < third ? 0 : scene.CenterX < 2 * third ? 1 : 2;
        var row = scene.CenterY < third ? 0 : scene.CenterY < 2 * third ? 1 : 2;
        return (row, column) switch
        {
            (1, 1) => ["in the centre", "in the middle of the frame", "at the centre of the picture"],
            (0, 1) => ["near the top", "at the top of the frame", "towards the top"],
            (2, 1) => ["near the bottom", "at the bottom of the frame", "towards the bottom"],
            (1, 0) => ["on the left", "towards the left side", "at the left of the frame"],
            (1, 2) => ["on the right", "towards the right side", "at the right of the frame"],
            (0, 0) => ["in the top left corner", "near the upper left", "at the top left"],
            (0, 2) => ["in the top right corner", "near the upper right", "at the top right"],
            (2, 0) => ["in the bottom left corner", "near the lower left", "at the bottom left"],
            _ => ["in the bottom right corner", "near the lower right", "at the bottom right"],
        };
    }

    private static string[] BackgroundNames(DemoScene scene)
    {
        if (scene.BackgroundSaturation < 0.08f)
        {
            return ["white", "off-white", "light grey", "plain pale"];
        }
        return scene.BackgroundHue switch
        {
            < 20f or >= 335f => ["pale pink", "blush", "faint rose"],
            < 70f => ["cream", "ivory", "pale beige"],
            < 165f => ["pale green", "mint", "soft green"],
            < 255f => ["light blue", "pale blue", "sky-tinted"],
            _ => ["lilac", "pale lavender", "faint mauve"],
        };
    }

    private static bool ShowsRotation(DemoShape shape) =>
        shape is not (DemoShape.Circle or DemoShape.Ring or DemoShape.Spiral);

    /// <summary>Whether the rotation is close to one of the shape's symmetries.</summary>
    private static bool NearlyUpright(DemoShape shape, float rotation)
    {
        var period = shape switch
        {
            DemoShape.Square or DemoShape.Cross => 90f,
            DemoShape.Triangle => 120f,
            DemoShape.Star => 72f,
            DemoShape.Hexagon => 60f,
            DemoShape.Diamond => 180f,
            _ => 360f,
        };
        var offset = rotation % period;
        return Math.Min(offset, period - offset) < 10f;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> options) => options[random.Next(options.Count)];

    private static string A(string nextWord) => nextWord.Length > 0 && "aeiouAEIOU".Contains(nextWord[0]) ? "an" : "a";

    private static string Cap(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private sealed record Words(string Shape, string Colour, string Texture, string TexturePhrase, string Size,
        string Where, string Background, string Tilt, string Quality);
}
