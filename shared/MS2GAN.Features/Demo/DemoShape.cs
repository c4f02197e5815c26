namespace MS2GAN.Features.Demo;

/// <summary>The outline a demo class is drawn with.</summary>
internal enum DemoShape
{
    Circle,
    Square,
    Triangle,
    Star,
    Hexagon,
    Cross,
    Ring,
    Spiral,
    Heart,
    Diamond,
}
