namespace MS2GAN.Features.Demo;

/// <summary>
/// One demo class: how its images are drawn (shape, texture, colour range) and the words its
/// captions choose from, so that captions of a class vary while staying true to the picture.
/// </summary>
/// <param name="Name">Human-readable class name, as written to dataset.json.</param>
/// <param name="Slug">File-name friendly name, used in item ids.</param>
/// <param name="Shape">The outline.</param>
/// <param name="Texture">The fill pattern.</param>
/// <param name="Hue">Base hue in degrees (0-360).</param>
/// <param name="Saturation">Base saturation (0-1); jittered per image.</param>
/// <param name="Value">Base brightness (0-1); jittered per image.</param>
/// <param name="ShapeWords">Synonyms for the shape.</param>
/// <param name="ColourWords">Words for the colour.</param>
/// <param name="TextureAdjectives">Adjectives for the texture.</param>
/// <param name="TexturePhrases">Phrases describing the texture after the noun.</param>
internal sealed record DemoClass(
    string Name,
    string Slug,
    DemoShape Shape,
    DemoTexture Texture,
    float Hue,
    float Saturation,
    float Value,
    string[] ShapeWords,
    string[] ColourWords,
    string[] TextureAdjectives,
    string[] TexturePhrases);
