using MS2GAN.Storage.Vectors.Embedded;

namespace MS2GAN.Storage.Tests.Vectors;

public sealed class DotKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(128)]
    [InlineData(131)]
    public void Three_rows_by_four_queries_give_bit_identical_dots_to_one_at_a_time(int dim)
    {
        var random = new Random(100 + dim);
        var rows = Enumerable.Range(0, 3).Select(_ => VectorCorpus.RandomVector(random, dim)).ToArray();
        var queries = Enumerable.Range(0, 4).Select(_ => VectorCorpus.RandomVector(random, dim)).ToArray();
        var dots = new float[12];

        DotKernel.Dot3x4(ref rows[0][0], ref rows[1][0], ref rows[2][0], ref queries[0][0], ref queries[1][0], ref queries[2][0], ref queries[3][0], dim, dots);

        for (var r = 0; r < 3; r++)
        {
            for (var q = 0; q < 4; q++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(DotKernel.Dot(rows[r], queries[q])), BitConverter.SingleToInt32Bits(dots[(r * 4) + q]));
            }
        }
    }
}
