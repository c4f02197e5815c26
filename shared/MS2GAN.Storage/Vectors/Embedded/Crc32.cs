using System.Buffers.Binary;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// CRC-32 (IEEE 802.3) for log and snapshot frames; System.IO.Hashing is not referenced. Slicing-by-8: eight
/// bytes per step through eight tables instead of one byte through one, the same checksum bit for bit, several
/// times faster (every vector written passes through it twice: the log, then a snapshot).
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Tables = BuildTables();

    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFFu, data);

    /// <summary>The checksum of a whole file, read in blocks (graph files are gigabytes).</summary>
    public static uint OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var crc = 0xFFFFFFFFu;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            crc = Update(crc, buffer.AsSpan(0, read));
        }

        return ~crc;
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        var t = Tables;
        while (data.Length >= 8)
        {
            var low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[(7 * 256) + (low & 0xFF)] ^ t[(6 * 256) + ((low >> 8) & 0xFF)] ^ t[(5 * 256) + ((low >> 16) & 0xFF)] ^ t[(4 * 256) + (low >> 24)]
                ^ t[(3 * 256) + (high & 0xFF)] ^ t[(2 * 256) + ((high >> 8) & 0xFF)] ^ t[256 + ((high >> 16) & 0xFF)] ^ t[high >> 24];
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    // Table k holds the CRC of a byte followed by k zero bytes: table 0 is the classic one-byte table.
    private static uint[] BuildTables()
    {
        var tables = new uint[8 * 256];
        for (var i = 0u; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            tables[i] = c;
        }

        for (var k = 1; k < 8; k++)
        {
            for (var i = 0; i < 256; i++)
            {
                var previous = tables[((k - 1) * 256) + i];
                tables[(k * 256) + i] = (previous >> 8) ^ tables[previous & 0xFF];
            }
        }

        return tables;
    }
}
