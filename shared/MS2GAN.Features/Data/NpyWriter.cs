using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace MS2GAN.Features.Data;

/// <summary>
/// Writes .npy files exactly as <c>numpy.save</c> does (format 1.0, data aligned to 64 bytes),
/// through a temporary file renamed into place so a crash never leaves a half-written file.
/// </summary>
public static class NpyWriter
{
    // As numpy: the data starts at a multiple of 64 bytes, and the header keeps room for the
    // first dimension to grow to 21 digits so the file can be appended to in place.
    private const int ArrayAlign = 64;
    private const int GrowthAxisMaxDigits = 21;
    private const int PrefixLength = 10;

    /// <summary>Writes a float32 2-D array (<c>'&lt;f4'</c>, C order).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="matrix">The matrix; its shape must match its buffer.</param>
    public static void Write(string path, FeatureMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        matrix.Validate();
        var header = Header("<f4", [matrix.Rows, matrix.Columns]);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            WriteLittleEndian(stream, MemoryMarshal.Cast<float, int>(matrix.Values.AsSpan()));
        });
    }

    /// <summary>One split in the layout <see cref="FeatureDatasetLoader"/> reads: PREFIX_image.npy, PREFIX_text.npy, PREFIX_labels.npy.</summary>
    /// <param name="folder">The dataset folder (it must exist).</param>
    /// <param name="prefix">train or test.</param>
    /// <param name="split">The split's features and labels.</param>
    public static void WriteSplit(string folder, string prefix, FeatureSplit split)
    {
        Write(Path.Combine(folder, $"{prefix}_image.npy"), split.Image);
        Write(Path.Combine(folder, $"{prefix}_text.npy"), split.Text);
        Write(Path.Combine(folder, $"{prefix}_labels.npy"), split.Labels);
    }

    /// <summary>Writes int32 labels as a 1-D array (<c>'&lt;i4'</c>).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="labels">The labels.</param>
    public static void Write(string path, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var header = Header("<i4", [labels.Length]);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            WriteLittleEndian(stream, labels);
        });
    }

    private static byte[] Header(string descr, int[] shape)
    {
        var dictionary = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {NpyHeader.FormatShape(shape)}, }}";
        dictionary += new string(' ', GrowthAxisMaxDigits - shape[0].ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var length = dictionary.Length + 1;
        var padding = ArrayAlign - ((PrefixLength + length) % ArrayAlign);
        var text = dictionary + new string(' ', padding) + "\n";

        var header = new byte[PrefixLength + text.Length];
        NpyHeaderReader.Magic.CopyTo(header);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), checked((ushort)text.Length));
        Encoding.Latin1.GetBytes(text, header.AsSpan(PrefixLength));
        return header;
    }

    private static void WriteLittleEndian(Stream stream, ReadOnlySpan<int> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        var buffer = ArrayPool<int>.Shared.Rent(16384);
        try
        {
            for (var start = 0; start < values.Length; start += buffer.Length)
            {
                var chunk = values.Slice(start, Math.Min(buffer.Length, values.Length - start));
                BinaryPrimitives.ReverseEndianness(chunk, buffer);
                stream.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, chunk.Length)));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }
    }
}
