namespace MS2GAN.Features.Demo;

/// <summary>
/// Derives an independent, reproducible random stream per item and purpose from the dataset seed,
/// so an item looks the same whatever else is generated and in whichever order.
/// </summary>
internal static class DemoSeed
{
    public const int Scene = 1;
    public const int Caption = 2;
    public const int Split = 3;

    /// <summary>A <see cref="Random"/> (the seeded algorithm, stable across .NET versions) for one purpose.</summary>
    public static Random For(int seed, int classIndex, int itemIndex, int purpose)
    {
        var state = (ulong)(uint)seed;
        state = Mix(state ^ ((ulong)(uint)classIndex << 32));
        state = Mix(state ^ (uint)itemIndex);
        state = Mix(state ^ ((ulong)(uint)purpose << 48));
        return new Random((int)(state & int.MaxValue));
    }

    // SplitMix64's finaliser: every input bit affects every output bit.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
