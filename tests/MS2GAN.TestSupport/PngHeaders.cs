using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MS2GAN.TestSupport;

/// <summary>PNG files crafted byte by byte, for the tests of image limits (decompression bombs).</summary>
public static class PngHeaders
{
    /// <summary>
    /// A well-formed PNG (signature, IHDR, a tiny IDAT, IEND) whose header claims <paramref name="width"/> x
    /// <paramref name="height"/> pixels while it holds almost no pixel data: it must be refused by its header.
    /// </summary>
    public static byte[] Claiming(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(stream, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                zlib.Write(new byte[64]);
            }
            Chunk(stream, "IDAT", compressed.ToArray());
        }
        Chunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        stream.Write(length);
    }

    /// <summary>The CRC-32 of PNG chunks (IEEE 802.3), bit by bit: slow and plainly right, a reference for faster ones.</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
