using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MS2GAN.Features.Data;

/// <summary>Streams the data of a .npy file into a row-major buffer, converting the element type.</summary>
internal static class NpyDataReader
{
    // A multiple of 8, so a chunk never splits an element.
    private const int ChunkBytes = 1 << 16;

    /// <summary>
    /// Reads the data that follows <paramref name="header"/> into <paramref name="destination"/>
    /// (row-major, one element per slot); a file that ends early is reported as truncated.
    /// </summary>
    public static void Read<T>(Stream stream, NpyHeader header, Span<T> destination, string path)
        where T : unmanaged, INumberBase<T>
    {
        // Fortran order only differs from C order once there are two dimensions.
        var transpose = header.FortranOrder && header.Shape.Length == 2;
        if (!transpose && BitConverter.IsLittleEndian && StoredAs<T>(header.ElementType))
        {
            Fill(stream, MemoryMarshal.AsBytes(destination), header, path);
        }
        else
        {
            ReadConverted(stream, header, destination, transpose, path);
        }
    }

    private static void ReadConverted<T>(Stream stream, NpyHeader header, Span<T> destination, bool transpose, string path)
        where T : unmanaged, INumberBase<T>
    {
        var itemSize = header.ItemSize;
        var perChunk = ChunkBytes / itemSize;
        var bytes = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var scratch = transpose ? ArrayPool<T>.Shared.Rent(perChunk) : null;
        try
        {
            var (rows, columns) = (header.Rows, header.Columns);
            for (var done = 0; done < destination.Length;)
            {
                var count = Math.Min(perChunk, destination.Length - done);
                var chunk = bytes.AsSpan(0, count * itemSize);
                Fill(stream, chunk, header, path);
                if (scratch is null)
                {
                    Decode(chunk, header.ElementType, destination.Slice(done, count));
                }
                else
                {
                    Decode(chunk, header.ElementType, scratch.AsSpan(0, count));
                    // Column-major element k is (row k % rows, column k / rows).
                    for (var i = 0; i < count; i++)
                    {
                        var k = done + i;
                        destination[(k % rows * columns) + (k / rows)] = scratch[i];
                    }
                }
                done += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            if (scratch is not null)
            {
                ArrayPool<T>.Shared.Return(scratch);
            }
        }
    }

    private static void Decode<T>(ReadOnlySpan<byte> source, NpyElementType type, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        switch (type)
        {
            case NpyElementType.Float32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]));
                }
                break;
            case NpyElementType.Float64:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(source[(i * 8)..]));
                }
                break;
            case NpyElementType.Int32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadInt32LittleEndian(source[(i * 4)..]));
                }
                break;
            case NpyElementType.Int64:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadInt64LittleEndian(source[(i * 8)..]));
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "unknown element type");
        }
    }

    private static bool StoredAs<T>(NpyElementType type) => type switch
    {
        NpyElementType.Float32 => typeof(T) == typeof(float),
        NpyElementType.Float64 => typeof(T) == typeof(double),
        NpyElementType.Int32 => typeof(T) == typeof(int),
        NpyElementType.Int64 => typeof(T) == typeof(long),
        _ => false,
    };

    /// <summary>Checks a seekable file holds exactly the data <paramref name="header"/> promises, before any buffer is sized by it.</summary>
    public static void CheckLength(Stream stream, NpyHeader header, string path)
    {
        if (!stream.CanSeek)
        {
            return;
        }
        var available = stream.Length - header.DataOffset;
        if (available < header.DataLength)
        {
            throw Truncated(header, available, path);
        }
        if (available > header.DataLength)
        {
            throw TrailingBytes(header, available - header.DataLength, path);
        }
    }

    private static void Fill(Stream stream, Span<byte> buffer, NpyHeader header, string path)
    {
        // Large spans are read in pieces so one read never asks the OS for gigabytes at once.
        while (!buffer.IsEmpty)
        {
            var piece = buffer[..Math.Min(buffer.Length, 1 << 24)];
            var got = stream.ReadAtLeast(piece, piece.Length, throwOnEndOfStream: false);
            if (got < piece.Length)
            {
                throw Truncated(header, stream.CanSeek ? stream.Length - header.DataOffset : -1, path);
            }
            buffer = buffer[piece.Length..];
        }
    }

    private static DataFormatException Truncated(NpyHeader header, long available, string path) =>
        new(path, $"truncated data: shape {header.ShapeText} of '{header.Descr}' needs {header.DataLength} bytes"
            + (available >= 0 ? $" but only {available} follow the header" : " but the file ends early"));

    private static DataFormatException TrailingBytes(NpyHeader header, long extra, string path) =>
        new(path, $"{extra} unexpected bytes after the data: shape {header.ShapeText} of '{header.Descr}' needs only {header.DataLength} bytes");
}
