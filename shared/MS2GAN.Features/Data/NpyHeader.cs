namespace MS2GAN.Features.Data;

/// <summary>What the header of a .npy file promises about the data that follows it.</summary>
/// <param name="ElementType">The element type, from <c>descr</c>.</param>
/// <param name="Descr">The <c>descr</c> string as written, for messages.</param>
/// <param name="FortranOrder">Whether the data is stored column-major.</param>
/// <param name="Shape">One or two non-negative dimensions.</param>
/// <param name="DataOffset">Where the data starts, in bytes from the start of the file.</param>
internal sealed record NpyHeader(NpyElementType ElementType, string Descr, bool FortranOrder, int[] Shape, long DataOffset)
{
    /// <summary>Bytes per element.</summary>
    public int ItemSize => ElementType is NpyElementType.Float32 or NpyElementType.Int32 ? 4 : 8;

    /// <summary>Number of elements the shape holds.</summary>
    public long ElementCount => Shape.Aggregate(1L, (count, dimension) => count * dimension);

    /// <summary>Number of data bytes the shape and element type promise.</summary>
    public long DataLength => ElementCount * ItemSize;

    /// <summary>Rows of a 1-D or 2-D array.</summary>
    public int Rows => Shape[0];

    /// <summary>Columns of a 2-D array; 1 for a 1-D array.</summary>
    public int Columns => Shape.Length == 2 ? Shape[1] : 1;

    /// <summary>The shape as Python writes it: <c>(693,)</c> or <c>(2173, 128)</c>.</summary>
    public string ShapeText => FormatShape(Shape);

    /// <summary>Formats a shape the way Python's <c>repr</c> of a tuple does.</summary>
    public static string FormatShape(IReadOnlyList<int> shape) => shape.Count == 1
        ? $"({shape[0]},)"
        : $"({string.Join(", ", shape)})";
}
