using System.Text;
using MS2GAN.Storage.Vectors.Embedded;
using MS2GAN.TestSupport;

namespace MS2GAN.Storage.Tests.Vectors;

public sealed class Crc32Tests
{
    [Fact]
    public void Gives_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(1027)]
    [InlineData(65_536)]
    public void Matches_the_bit_by_bit_crc_at_every_length_and_alignment(int length)
    {
        var bytes = new byte[length + 3];
        new Random(length).NextBytes(bytes);
        for (var offset = 0; offset < 3; offset++)
        {
            var data = bytes.AsSpan(offset, length);
            Assert.Equal(PngHeaders.Crc32(data), Crc32.Compute(data));
        }
    }
}
