using System.Globalization;

namespace MS2GAN.Features.Data;

/// <summary>
/// Reads NumPy .npy files (format versions 1.0, 2.0 and 3.0) holding little-endian float32, float64,
/// int32 or int64 arrays of one or two dimensions. Fortran-ordered (column-major) 2-D arrays are
/// transposed into row-major order while reading. Every problem is a <see cref="DataFormatException"/>.
/// </summary>
public static class NpyReader
{
    /// <summary>Reads a 2-D array as a float32 matrix (float64 and integer data are converted).</summary>
    /// <param name="path">The .npy file.</param>
    /// <exception cref="DataFormatException">The file is missing, malformed, unsupported or not 2-D.</exception>
    public static FeatureMatrix ReadMatrix(string path)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path);
        if (header.Shape.Length != 2)
        {
            throw new DataFormatException(path, $"expected a 2-D array, found a {header.Shape.Length}-D array of shape {header.ShapeText}");
        }
        var values = new float[header.ElementCount];
        NpyDataReader.Read(stream, header, values.AsSpan(), path);
        return new FeatureMatrix(values, header.Rows, header.Columns);
    }

    /// <summary>
    /// Reads class labels: a 1-D array of non-negative whole numbers (int32, int64, or floats holding
    /// whole numbers), or a 2-D one-hot matrix with exactly one 1 per row, converted by argmax.
    /// </summary>
    /// <param name="path">The .npy file.</param>
    /// <exception cref="DataFormatException">The file is missing or malformed, or a label is invalid.</exception>
    public static int[] ReadLabels(string path)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path);
        // double holds every int32 and float exactly; int64 labels past 2^53 are rejected as too large anyway.
        var values = new double[header.ElementCount];
        NpyDataReader.Read(stream, header, values.AsSpan(), path);
        return header.Shape.Length == 1
            ? ToLabels(values, path)
            : FromOneHot(values, header.Rows, header.Columns, path);
    }

    // The length is checked before the buffer is allocated: a few bytes claiming (40000, 50000) must not cost gigabytes.
    private static NpyHeader ReadHeader(FileStream stream, string path)
    {
        var header = NpyHeaderReader.Read(stream, path);
        NpyDataReader.CheckLength(stream, header, path);
        return header;
    }

    private static int[] ToLabels(double[] values, string path)
    {
        var labels = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (!double.IsFinite(value) || value != Math.Floor(value))
            {
                throw new DataFormatException(path, $"label {i} is {Format(value)}, not a whole number");
            }
            if (value < 0)
            {
                throw new DataFormatException(path, $"label {i} is negative ({Format(value)})");
            }
            if (value > int.MaxValue)
            {
                throw new DataFormatException(path, $"label {i} is too large ({Format(value)})");
            }
            labels[i] = (int)value;
        }
        return labels;
    }

    private static int[] FromOneHot(double[] values, int rows, int columns, string path)
    {
        // A (N, 1) column of labels is not one-hot; say so rather than report a confusing row.
        var hint = columns == 1 ? " (a column of labels of shape (N, 1) is not accepted; save it as a 1-D array)" : "";
        var labels = new int[rows];
        for (var row = 0; row < rows; row++)
        {
            var ones = 0;
            for (var column = 0; column < columns; column++)
            {
                var value = values[((long)row * columns) + column];
                if (value == 1)
                {
                    ones++;
                    labels[row] = column;
                }
                else if (value != 0)
                {
                    throw new DataFormatException(path, $"row {row} of the one-hot label matrix holds {Format(value)} at column {column}; only 0 and 1 are allowed{hint}");
                }
            }
            if (ones != 1)
            {
                throw new DataFormatException(path, $"row {row} of the one-hot label matrix has {ones} ones; expected exactly one{hint}");
            }
        }
        return labels;
    }

    private static FileStream Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new DataFormatException(path, "is a folder, expected a .npy file");
        }
        try
        {
            // No FileStream buffer: the data is read in large chunks already.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFormatException(path, "file not found");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, $"cannot be opened: {ex.Message}");
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
