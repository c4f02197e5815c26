namespace MS2GAN.Features.Demo;

/// <summary>What fills a demo shape besides its colour.</summary>
internal enum DemoTexture
{
    Dots,
    Stripes,
    Gradient,
    Outline,
    Checker,
    Plain,
    Hollow,
    Coiled,
    Glow,
    Grid,
}
