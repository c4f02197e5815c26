using System.Text;
using MS2GAN.Features.Data;

namespace MS2GAN.Features.Tests.Data;

public sealed class NpyWriterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Round_trips_a_float32_matrix()
    {
        var matrix = new FeatureMatrix([1.5f, -2f, float.Epsilon, 3.25e10f, 0f, -0f], 2, 3);
        var path = _folder.File("m.npy");

        NpyWriter.Write(path, matrix);
        var read = NpyReader.ReadMatrix(path);

        Assert.Equal((2, 3), (read.Rows, read.Columns));
        Assert.Equal(matrix.Values, read.Values);
    }

    [Fact]
    public void Round_trips_int32_labels()
    {
        int[] labels = [0, 9, 3, 3, int.MaxValue];
        var path = _folder.File("labels.npy");

        NpyWriter.Write(path, labels);

        Assert.Equal(labels, NpyReader.ReadLabels(path));
    }

    [Fact]
    public void Round_trips_a_matrix_larger_than_one_read_chunk()
    {
        var values = Enumerable.Range(0, 700 * 129).Select(i => i * 0.5f).ToArray();
        var path = _folder.File("big.npy");

        NpyWriter.Write(path, new FeatureMatrix(values, 700, 129));

        Assert.Equal(values, NpyReader.ReadMatrix(path).Values);
    }

    [Fact]
    public void Writes_the_same_header_bytes_as_numpy()
    {
        var path = _folder.File("labels.npy");

        NpyWriter.Write(path, new int[693]);

        // numpy.save(np.zeros(693, np.int32)): the dict, 18 spaces kept for the shape to grow,
        // then padding to 128 bytes and a newline.
        var header = "{'descr': '<i4', 'fortran_order': False, 'shape': (693,), }".PadRight(117) + "\n";
        byte[] expected = [0x93, .. "NUMPY"u8, 1, 0, 118, 0, .. Encoding.ASCII.GetBytes(header)];
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(expected, bytes[..128]);
        Assert.Equal(128 + (693 * 4), bytes.Length);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2173, 128)]
    [InlineData(123456789, 0)]
    [InlineData(0, 987654321)]
    public void Starts_the_data_at_a_multiple_of_64_bytes(int rows, int columns)
    {
        var path = _folder.File("m.npy");

        NpyWriter.Write(path, new FeatureMatrix(new float[(long)rows * columns], rows, columns));

        var bytes = File.ReadAllBytes(path);
        var dataOffset = 10 + BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, dataOffset % 64);
        Assert.Equal((byte)'\n', bytes[dataOffset - 1]);
        Assert.Equal(dataOffset + ((long)rows * columns * 4), bytes.Length);
    }

    [Fact]
    public void Replaces_an_existing_file_and_leaves_no_temporary_file_behind()
    {
        var path = _folder.File("m.npy");
        File.WriteAllText(path, "old contents");

        NpyWriter.Write(path, new FeatureMatrix([1f, 2f], 1, 2));

        Assert.Equal([1f, 2f], NpyReader.ReadMatrix(path).Values);
        Assert.Equal([path], Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void Refuses_a_matrix_whose_shape_does_not_match_its_values_and_writes_nothing()
    {
        var path = _folder.File("m.npy");

        Assert.Throws<ArgumentException>(() => NpyWriter.Write(path, new FeatureMatrix([1f, 2f, 3f], 2, 2)));

        Assert.Empty(Directory.GetFiles(_folder.Path));
    }
}
