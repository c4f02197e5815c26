using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MS2GAN.Storage.Items;

/// <summary>Feature vectors as little-endian float32 bytes, bit-exact both ways.</summary>
internal static class FeatureBlob
{
    public static byte[] ToBytes(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.AsBytes(values).ToArray();
        }
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }
        return bytes;
    }

    public static float[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new InvalidDataException($"A feature blob of {bytes.Length} bytes is not a whole number of float32 values.");
        }
        var values = new float[bytes.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }
        return values;
    }
}
