using System.Buffers.Binary;
using System.Text;

namespace MS2GAN.Features.Data;

/// <summary>Reads and checks the magic, version and header dictionary at the start of a .npy file.</summary>
internal static class NpyHeaderReader
{
    /// <summary>The six bytes every .npy file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the header and leaves <paramref name="stream"/> at the first data byte.</summary>
    public static NpyHeader Read(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[8];
        var got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        var seen = prefix[..Math.Min(got, Magic.Length)];
        if (!Magic.StartsWith(seen))
        {
            throw new DataFormatException(path, $"not a .npy file (bad magic: the file starts with {Convert.ToHexString(seen)}, expected 934E554D5059)");
        }
        if (got < prefix.Length)
        {
            throw new DataFormatException(path, got == 0
                ? "truncated header: the file is empty"
                : $"truncated header: the file ends after {got} bytes");
        }

        var (major, minor) = (prefix[6], prefix[7]);
        if (major is < 1 or > 3 || minor != 0)
        {
            throw new DataFormatException(path, $"unsupported .npy format version {major}.{minor} (supported: 1.0, 2.0, 3.0)");
        }

        var lengthBytes = major == 1 ? 2 : 4;
        Span<byte> lengthField = stackalloc byte[lengthBytes];
        if (stream.ReadAtLeast(lengthField, lengthBytes, throwOnEndOfStream: false) < lengthBytes)
        {
            throw new DataFormatException(path, "truncated header: the file ends inside the header length");
        }
        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(lengthField)
            : BinaryPrimitives.ReadUInt32LittleEndian(lengthField);

        var dataOffset = prefix.Length + lengthBytes + headerLength;
        if (stream.CanSeek && stream.Length < dataOffset)
        {
            throw new DataFormatException(path, $"truncated header: the header should be {headerLength} bytes long, but the file ends after {stream.Length} bytes");
        }
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) < headerBytes.Length)
        {
            throw new DataFormatException(path, $"truncated header: the header should be {headerLength} bytes long");
        }

        // Versions 1 and 2 store the header as latin-1, version 3 as UTF-8.
        var text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        return Interpret(PythonLiteralParser.Parse(text, path), dataOffset, path);
    }

    private static NpyHeader Interpret(object? literal, long dataOffset, string path)
    {
        if (literal is not Dictionary<string, object?> header)
        {
            throw new DataFormatException(path, "malformed header: expected a dictionary");
        }
        var descr = Required(header, "descr", path);
        var fortranOrder = Required(header, "fortran_order", path);
        var shape = Required(header, "shape", path);

        if (descr is not string descrText)
        {
            throw new DataFormatException(path, "unsupported dtype: structured arrays (records) are not supported");
        }
        if (fortranOrder is not bool isFortran)
        {
            throw new DataFormatException(path, $"malformed header: 'fortran_order' must be True or False, found {Describe(fortranOrder)}");
        }
        return new NpyHeader(ParseDescr(descrText, path), descrText, isFortran, ParseShape(shape, path), dataOffset);
    }

    private static object? Required(Dictionary<string, object?> header, string key, string path) =>
        header.TryGetValue(key, out var value)
            ? value
            : throw new DataFormatException(path, $"malformed header: the key '{key}' is missing");

    private static NpyElementType ParseDescr(string descr, string path) => descr switch
    {
        "<f4" => NpyElementType.Float32,
        "<f8" => NpyElementType.Float64,
        "<i4" => NpyElementType.Int32,
        "<i8" => NpyElementType.Int64,
        _ when descr.StartsWith('>') => throw new DataFormatException(path,
            $"big-endian data ('{descr}') is not supported; save it little-endian, e.g. with a.astype('<{descr[1..]}')"),
        _ => throw new DataFormatException(path,
            $"unsupported dtype '{descr}' (supported: float32 '<f4', float64 '<f8', int32 '<i4', int64 '<i8')"),
    };

    private static int[] ParseShape(object? shape, string path)
    {
        if (shape is not List<object?> dimensions || dimensions.Any(d => d is not long))
        {
            throw new DataFormatException(path, $"bad shape {Describe(shape)}: expected a tuple of integers");
        }
        var values = dimensions.Cast<long>().ToArray();
        var text = $"({string.Join(", ", values)}{(values.Length == 1 ? "," : "")})";
        if (values.Length is not (1 or 2))
        {
            throw new DataFormatException(path, $"bad shape {text}: a {values.Length}-D array, expected a 1-D or 2-D array");
        }
        if (values.Any(v => v < 0))
        {
            throw new DataFormatException(path, $"bad shape {text}: a dimension is negative");
        }
        var count = values.Aggregate(1.0, (product, v) => product * v);
        if (values.Any(v => v > int.MaxValue) || count > Array.MaxLength)
        {
            throw new DataFormatException(path, $"bad shape {text}: more elements than one array can hold");
        }
        return [.. values.Select(v => (int)v)];
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        List<object?> list => $"({string.Join(", ", list.Select(Describe))})",
        Dictionary<string, object?> => "a dictionary",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };
}
