using System.Buffers.Binary;
using System.Text;

namespace MS2GAN.Features.Tests.Data;

/// <summary>Builds .npy files byte by byte, independently of the code under test.</summary>
internal static class NpyBytes
{
    /// <summary>
    /// Magic, version, header length and the header text padded with spaces and a newline so the data
    /// starts at a multiple of 64 (as numpy does), followed by <paramref name="data"/>.
    /// </summary>
    public static byte[] File(string header, byte[] data, byte major = 1, bool pad = true)
    {
        var prefixLength = major == 1 ? 10 : 12;
        var encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        var text = encoding.GetBytes(header);
        var padding = pad ? 63 - ((prefixLength + text.Length) % 64) : 0;
        var headerBytes = text.Concat(Enumerable.Repeat((byte)' ', padding)).Append((byte)'\n').ToArray();

        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        var length = new byte[major == 1 ? 2 : 4];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)headerBytes.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)headerBytes.Length);
        }
        bytes.AddRange(length);
        bytes.AddRange(headerBytes);
        bytes.AddRange(data);
        return [.. bytes];
    }

    /// <summary>The usual numpy header for a C-ordered array.</summary>
    public static string Header(string descr, string shape, bool fortranOrder = false) =>
        $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shape}, }}";

    public static byte[] Float32(params float[] values) => Encode(values, 4, (span, v) => BinaryPrimitives.WriteSingleLittleEndian(span, v));

    public static byte[] Float64(params double[] values) => Encode(values, 8, (span, v) => BinaryPrimitives.WriteDoubleLittleEndian(span, v));

    public static byte[] Int32(params int[] values) => Encode(values, 4, (span, v) => BinaryPrimitives.WriteInt32LittleEndian(span, v));

    public static byte[] Int64(params long[] values) => Encode(values, 8, (span, v) => BinaryPrimitives.WriteInt64LittleEndian(span, v));

    public static byte[] Float32BigEndian(params float[] values) => Encode(values, 4, (span, v) => BinaryPrimitives.WriteSingleBigEndian(span, v));

    private delegate void Writer<in T>(Span<byte> destination, T value);

    private static byte[] Encode<T>(T[] values, int size, Writer<T> write)
    {
        var bytes = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            write(bytes.AsSpan(i * size), values[i]);
        }
        return bytes;
    }
}
