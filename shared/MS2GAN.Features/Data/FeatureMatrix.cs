namespace MS2GAN.Features.Data;

/// <summary>A dense row-major matrix of float32 features: one row per item.</summary>
/// <param name="Values">Row-major values; length is <paramref name="Rows"/> x <paramref name="Columns"/>.</param>
/// <param name="Rows">Number of items.</param>
/// <param name="Columns">Feature dimension.</param>
public sealed record FeatureMatrix(float[] Values, int Rows, int Columns)
{
    /// <summary>Checks the shape against the buffer.</summary>
    public FeatureMatrix Validate()
    {
        if (Rows < 0 || Columns < 0 || (long)Rows * Columns != Values.LongLength)
        {
            throw new ArgumentException($"a {Rows}x{Columns} matrix needs {(long)Rows * Columns} values, got {Values.LongLength}");
        }
        return this;
    }

    /// <summary>The features of one item.</summary>
    public ReadOnlySpan<float> Row(int index) => Values.AsSpan(index * Columns, Columns);

    /// <summary>A new matrix holding the given rows, in the given order.</summary>
    public FeatureMatrix SelectRows(IReadOnlyList<int> rows)
    {
        var values = new float[rows.Count * Columns];
        for (var i = 0; i < rows.Count; i++)
        {
            Row(rows[i]).CopyTo(values.AsSpan(i * Columns, Columns));
        }
        return new FeatureMatrix(values, rows.Count, Columns);
    }

    /// <summary>Builds a matrix from equally long rows.</summary>
    public static FeatureMatrix FromRows(IReadOnlyList<float[]> rows, int columns)
    {
        var values = new float[rows.Count * columns];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != columns)
            {
                throw new ArgumentException($"row {i} has {rows[i].Length} values, expected {columns}");
            }
            rows[i].CopyTo(values, i * columns);
        }
        return new FeatureMatrix(values, rows.Count, columns);
    }
}
