using MS2GAN.Features.Data;

namespace MS2GAN.Features.Tests.Data;

public sealed class NpyReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Reads_a_version_1_float32_matrix()
    {
        var path = _folder.WriteBytes("m.npy", NpyBytes.File(NpyBytes.Header("<f4", "(2, 3)"), NpyBytes.Float32(1, 2, 3, 4, 5, 6)));

        var matrix = NpyReader.ReadMatrix(path);

        Assert.Equal((2, 3), (matrix.Rows, matrix.Columns));
        Assert.Equal([4f, 5f, 6f], matrix.Row(1).ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Reads_version_2_and_3_headers(byte major)
    {
        var path = _folder.WriteBytes("m.npy", NpyBytes.File(NpyBytes.Header("<f4", "(1, 2)"), NpyBytes.Float32(7, 8), major));

        Assert.Equal([7f, 8f], NpyReader.ReadMatrix(path).Values);
    }

    [Fact]
    public void Reads_float64_matrix_as_float32()
    {
        var path = _folder.WriteBytes("m.npy", NpyBytes.File(NpyBytes.Header("<f8", "(2, 2)"), NpyBytes.Float64(0.1, -2.5, 1e300, 3)));

        var matrix = NpyReader.ReadMatrix(path);

        Assert.Equal([0.1f, -2.5f, float.PositiveInfinity, 3f], matrix.Values);
    }

    [Fact]
    public void Reads_integer_matrices_as_float32()
    {
        var int32 = _folder.WriteBytes("i4.npy", NpyBytes.File(NpyBytes.Header("<i4", "(1, 3)"), NpyBytes.Int32(-1, 0, 16777217)));
        var int64 = _folder.WriteBytes("i8.npy", NpyBytes.File(NpyBytes.Header("<i8", "(1, 2)"), NpyBytes.Int64(-5, 1L << 40)));

        Assert.Equal([-1f, 0f, 16777216f], NpyReader.ReadMatrix(int32).Values);
        Assert.Equal([-5f, 1099511627776f], NpyReader.ReadMatrix(int64).Values);
    }

    [Fact]
    public void Reads_a_fortran_order_matrix_as_row_major()
    {
        // The 2x3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column.
        var path = _folder.WriteBytes("m.npy", NpyBytes.File(NpyBytes.Header("<f4", "(2, 3)", fortranOrder: true), NpyBytes.Float32(1, 4, 2, 5, 3, 6)));

        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], NpyReader.ReadMatrix(path).Values);
    }

    [Fact]
    public void Reads_a_fortran_order_float64_matrix_spanning_several_read_chunks()
    {
        const int rows = 301, columns = 97;
        var columnMajor = new double[rows * columns];
        for (var c = 0; c < columns; c++)
        {
            for (var r = 0; r < rows; r++)
            {
                columnMajor[(c * rows) + r] = (r * 1000) + c;
            }
        }
        var path = _folder.WriteBytes("m.npy", NpyBytes.File(NpyBytes.Header("<f8", $"({rows}, {columns})", fortranOrder: true), NpyBytes.Float64(columnMajor)));

        var matrix = NpyReader.ReadMatrix(path);

        Assert.Equal(Enumerable.Range(0, rows * columns).Select(i => (float)((i / columns * 1000) + (i % columns))), matrix.Values);
    }

    [Theory]
    [InlineData("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1, 2)}")]
    [InlineData("{'shape': (1, 2), 'fortran_order': False, 'descr': '<f4'}")]
    [InlineData("{'descr':'<f4','fortran_order':False,'shape':(1,2),}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1L, 2L), }")]
    [InlineData("{ 'descr' : '<f4' ,\t'fortran_order' : False , 'shape' : [ 1 , 2 ] , }")]
    public void Parses_headers_written_in_other_styles(string header)
    {
        var path = _folder.WriteBytes("m.npy", NpyBytes.File(header, NpyBytes.Float32(1, 2), pad: false));

        var matrix = NpyReader.ReadMatrix(path);

        Assert.Equal((1, 2), (matrix.Rows, matrix.Columns));
    }

    [Fact]
    public void Reads_int32_labels()
    {
        var path = _folder.WriteBytes("l.npy", NpyBytes.File(NpyBytes.Header("<i4", "(4,)"), NpyBytes.Int32(0, 3, 1, 3)));

        Assert.Equal([0, 3, 1, 3], NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Reads_int64_labels()
    {
        var path = _folder.WriteBytes("l.npy", NpyBytes.File(NpyBytes.Header("<i8", "(3,)"), NpyBytes.Int64(2, 0, 1)));

        Assert.Equal([2, 0, 1], NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Reads_float_labels_that_hold_whole_numbers()
    {
        var path = _folder.WriteBytes("l.npy", NpyBytes.File(NpyBytes.Header("<f8", "(3,)"), NpyBytes.Float64(1, 0, 9)));

        Assert.Equal([1, 0, 9], NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Converts_one_hot_labels_with_argmax()
    {
        var path = _folder.WriteBytes("l.npy", NpyBytes.File(NpyBytes.Header("<f4", "(3, 4)"), NpyBytes.Float32(
            0, 0, 1, 0,
            1, 0, 0, 0,
            0, 0, 0, 1)));

        Assert.Equal([2, 0, 3], NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Converts_fortran_order_int64_one_hot_labels()
    {
        // [[0, 1], [1, 0], [0, 1]] stored column by column.
        var path = _folder.WriteBytes("l.npy", NpyBytes.File(NpyBytes.Header("<i8", "(3, 2)", fortranOrder: true), NpyBytes.Int64(0, 1, 0, 1, 0, 1)));

        Assert.Equal([1, 0, 1], NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Reads_an_empty_matrix()
    {
        var path = _folder.WriteBytes("m.npy", NpyBytes.File(NpyBytes.Header("<f4", "(0, 128)"), []));

        var matrix = NpyReader.ReadMatrix(path);

        Assert.Equal((0, 128), (matrix.Rows, matrix.Columns));
    }
}
