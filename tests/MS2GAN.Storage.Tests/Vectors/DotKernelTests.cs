using MS2GAN.Storage.Vectors.Embedded;

namespace MS2GAN.Storage.Tests.Vectors;

public sealed class DotKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(128)]
    [InlineData(131)]
    public void Four_queries_at_once_give_bit_identical_dots_to_one_at_a_time_and_match_a_double_reference(int dim)
    {
        var random = new Random(dim);
        var row = VectorCorpus.RandomVector(random, dim);
        var queries = Enumerable.Range(0, 4).Select(_ => VectorCorpus.RandomVector(random, dim)).ToArray();

        DotKernel.Dot4(row, queries[0], queries[1], queries[2], queries[3], out var d0, out var d1, out var d2, out var d3);

        float[] four = [d0, d1, d2, d3];
        for (var q = 0; q < 4; q++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(DotKernel.Dot(row, queries[q])), BitConverter.SingleToInt32Bits(four[q]));
            var reference = row.Zip(queries[q], (a, b) => (double)a * b).Sum();
            Assert.Equal(reference, four[q], 3);
        }
    }
}
