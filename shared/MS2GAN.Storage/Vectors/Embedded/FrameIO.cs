using System.Buffers.Binary;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// Length-prefixed, checksummed frames: [int32 length][uint32 crc32 of payload][payload], little-endian.
/// Used by the write-ahead log and the snapshot.
/// </summary>
internal static class FrameIO
{
    public const int HeaderSize = 8;

    /// <summary>Largest payload accepted on read; anything bigger is treated as a torn or corrupt frame.</summary>
    public const int MaxPayload = 1 << 30;

    public static void Write(Stream stream, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.Compute(payload));
        stream.Write(header);
        stream.Write(payload);
    }

    /// <summary>Reads the next frame; null at a clean end, a torn tail or a checksum mismatch.</summary>
    public static byte[]? TryRead(Stream stream)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        if (stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (length < 0 || length > MaxPayload || length > stream.Length - stream.Position)
        {
            return null;
        }

        var payload = new byte[length];
        if (stream.ReadAtLeast(payload, length, throwOnEndOfStream: false) < length)
        {
            return null;
        }

        return Crc32.Compute(payload) == crc ? payload : null;
    }
}
