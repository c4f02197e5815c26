namespace MS2GAN.Features.Data;

/// <summary>The element types <see cref="NpyReader"/> understands (all little-endian).</summary>
internal enum NpyElementType
{
    Float32,
    Float64,
    Int32,
    Int64,
}
