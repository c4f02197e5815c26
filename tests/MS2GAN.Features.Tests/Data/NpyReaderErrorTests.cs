using MS2GAN.Features.Data;

namespace MS2GAN.Features.Tests.Data;

public sealed class NpyReaderErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(byte[] bytes) => _folder.WriteBytes("bad.npy", bytes);

    private string WriteMatrixFile(string descr, string shape, byte[] data, bool fortranOrder = false) =>
        Write(NpyBytes.File(NpyBytes.Header(descr, shape, fortranOrder), data));

    [Fact]
    public void Reports_a_missing_file()
    {
        var path = _folder.File("absent.npy");

        DataAssert.Fails(path, "file not found", () => NpyReader.ReadMatrix(path));
        DataAssert.Fails(path, "file not found", () => NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Reports_bad_magic()
    {
        var path = Write("PK\x03\x04 this is a zip, not npy"u8.ToArray());

        DataAssert.Fails(path, "bad magic", () => NpyReader.ReadMatrix(path));
    }

    [Fact]
    public void Reports_an_empty_file_as_a_truncated_header()
    {
        var path = Write([]);

        DataAssert.Fails(path, "truncated header: the file is empty", () => NpyReader.ReadMatrix(path));
    }

    [Fact]
    public void Reports_a_truncated_header()
    {
        var whole = NpyBytes.File(NpyBytes.Header("<f4", "(2, 3)"), NpyBytes.Float32(1, 2, 3, 4, 5, 6));
        var path = Write(whole[..40]);

        DataAssert.Fails(path, "truncated header", () => NpyReader.ReadMatrix(path));
    }

    [Fact]
    public void Reports_truncated_data()
    {
        var path = WriteMatrixFile("<f4", "(2, 3)", NpyBytes.Float32(1, 2, 3, 4, 5));

        DataAssert.Fails(path, "truncated data: shape (2, 3) of '<f4' needs 24 bytes but only 20 follow the header", () => NpyReader.ReadMatrix(path));
    }

    [Fact]
    public void Rejects_bytes_after_the_data()
    {
        var path = WriteMatrixFile("<f4", "(1, 2)", NpyBytes.Float32(1, 2, 3));

        DataAssert.Fails(path, "4 unexpected bytes after the data", () => NpyReader.ReadMatrix(path));
    }

    [Fact]
    public void Reports_an_unsupported_format_version()
    {
        var bytes = NpyBytes.File(NpyBytes.Header("<f4", "(1, 1)"), NpyBytes.Float32(1));
        bytes[6] = 4;
        var path = Write(bytes);

        DataAssert.Fails(path, "unsupported .npy format version 4.0", () => NpyReader.ReadMatrix(path));
    }

    [Fact]
    public void Reports_big_endian_data()
    {
        var path = WriteMatrixFile(">f4", "(1, 2)", NpyBytes.Float32BigEndian(1, 2));

        DataAssert.Fails(path, "big-endian data ('>f4') is not supported", () => NpyReader.ReadMatrix(path));
    }

    [Theory]
    [InlineData("<f2")]
    [InlineData("|u1")]
    [InlineData("<c8")]
    [InlineData("|O")]
    public void Reports_an_unsupported_dtype(string descr)
    {
        var path = WriteMatrixFile(descr, "(1, 2)", new byte[32]);

        DataAssert.Fails(path, $"unsupported dtype '{descr}'", () => NpyReader.ReadMatrix(path));
    }

    [Fact]
    public void Reports_a_structured_dtype_as_unsupported()
    {
        var path = Write(NpyBytes.File("{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }", new byte[8]));

        DataAssert.Fails(path, "unsupported dtype: structured arrays", () => NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Reports_a_fortran_order_flag_that_is_not_a_boolean()
    {
        var path = Write(NpyBytes.File("{'descr': '<f4', 'fortran_order': 'yes', 'shape': (1, 1), }", NpyBytes.Float32(1)));

        DataAssert.Fails(path, "'fortran_order' must be True or False", () => NpyReader.ReadMatrix(path));
    }

    [Fact]
    public void Reports_a_one_dimensional_array_where_a_matrix_is_expected()
    {
        var path = WriteMatrixFile("<f4", "(3,)", NpyBytes.Float32(1, 2, 3));

        DataAssert.Fails(path, "expected a 2-D array, found a 1-D array of shape (3,)", () => NpyReader.ReadMatrix(path));
    }

    [Theory]
    [InlineData("()", "a 0-D array")]
    [InlineData("(2, 2, 2)", "a 3-D array")]
    [InlineData("(-1, 2)", "a dimension is negative")]
    [InlineData("(2, 'a')", "expected a tuple of integers")]
    [InlineData("(3000000000, 3000000000)", "more elements than one array can hold")]
    public void Reports_a_bad_shape(string shape, string problem)
    {
        var path = WriteMatrixFile("<f4", shape, new byte[32]);

        var exception = DataAssert.Fails(path, problem, () => NpyReader.ReadMatrix(path));
        Assert.StartsWith("bad shape", exception.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1)", "expected '}'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False}", "the key 'shape' is missing")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), } junk", "unexpected text")]
    [InlineData("{'descr': '<f4, 'fortran_order': False, 'shape': (1, 1)}", "malformed header")]
    [InlineData("not a dict", "malformed header")]
    public void Reports_a_malformed_header(string header, string problem)
    {
        var path = Write(NpyBytes.File(header, NpyBytes.Float32(1)));

        DataAssert.Fails(path, problem, () => NpyReader.ReadMatrix(path));
    }

    [Fact]
    public void Reports_a_one_hot_row_with_two_ones()
    {
        var path = WriteMatrixFile("<f4", "(2, 3)", NpyBytes.Float32(0, 1, 0, 1, 0, 1));

        DataAssert.Fails(path, "row 1 of the one-hot label matrix has 2 ones", () => NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Reports_a_one_hot_row_without_a_one()
    {
        var path = WriteMatrixFile("<i4", "(2, 2)", NpyBytes.Int32(1, 0, 0, 0));

        DataAssert.Fails(path, "row 1 of the one-hot label matrix has 0 ones", () => NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Reports_a_one_hot_value_other_than_zero_or_one()
    {
        var path = WriteMatrixFile("<f4", "(1, 3)", NpyBytes.Float32(0.5f, 0.5f, 0));

        DataAssert.Fails(path, "row 0 of the one-hot label matrix holds 0.5 at column 0", () => NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Reports_a_negative_label()
    {
        var path = WriteMatrixFile("<i8", "(3,)", NpyBytes.Int64(0, -1, 2));

        DataAssert.Fails(path, "label 1 is negative (-1)", () => NpyReader.ReadLabels(path));
    }

    [Theory]
    [InlineData(2.5, "label 1 is 2.5, not a whole number")]
    [InlineData(double.NaN, "label 1 is NaN, not a whole number")]
    [InlineData(1e12, "label 1 is too large")]
    public void Reports_a_float_label_that_is_not_a_valid_class(double label, string problem)
    {
        var path = WriteMatrixFile("<f8", "(2,)", NpyBytes.Float64(0, label));

        DataAssert.Fails(path, problem, () => NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Reports_a_folder_given_instead_of_a_file()
    {
        DataAssert.Fails(_folder.Path, "is a folder", () => NpyReader.ReadMatrix(_folder.Path));
    }
}
