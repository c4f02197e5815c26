using MS2GAN.Storage.Vectors;
using MS2GAN.Storage.Vectors.Embedded;

namespace MS2GAN.Storage.Tests.Vectors;

public sealed class DotKernelTests
{
    [Theory]
    [InlineData(1, 1, 2)]
    [InlineData(8, 8, 9)]
    [InlineData(13, 5, 16)]
    [InlineData(128, 128, 5)]
    [InlineData(131, 127, 14)]
    public unsafe void A_tile_scores_each_row_and_query_within_the_panel_margin_of_the_exact_weighted_score(int specificDim, int sharedDim, int queries)
    {
        var random = new Random((100 * specificDim) + queries);
        const int rows = 9;
        var specific = UnitRows(random, rows, specificDim);
        var shared = UnitRows(random, rows, sharedDim);
        var batch = Enumerable.Range(0, queries).Select(i =>
        {
            // Weights 0 to 1, one of them 0 now and then (its vector then counts for nothing).
            var ws = i % 4 == 3 ? 0 : random.NextDouble();
            var wc = i % 5 == 4 ? 0 : random.NextDouble();
            var query = new VectorQuery(VectorCorpus.RandomVector(random, specificDim), VectorCorpus.RandomVector(random, sharedDim), ws, wc, VectorModalities.Any, K: 3);
            return new ExactScan(
                query,
                VectorRecordValidation.NormalisedQuery(query.Specific, specificDim, ws, "specific"),
                VectorRecordValidation.NormalisedQuery(query.Shared, sharedDim, wc, "shared"),
                new SlotFilter(query),
                3);
        }).ToArray();
        var panel = Assert.Single(QueryPanel.Pack(batch, [.. Enumerable.Range(0, queries)], specificDim, sharedDim));
        Assert.Equal(queries > 8 ? 16 : 8, panel.Width);
        var scores = new float[DotKernel.TileRows * panel.Width];
        var slots = new[] { 8, 0, 3, 3, 5, 1 };

        fixed (float* s = specific, c = shared, out_ = scores)
        fixed (int* tile = slots)
        {
            DotKernel.Tile(panel, s, c, specificDim, sharedDim, tile, out_);
        }

        var worst = 0d;
        for (var r = 0; r < DotKernel.TileRows; r++)
        {
            for (var lane = 0; lane < queries; lane++)
            {
                var scan = batch[lane];
                var exact = (scan.Query.SpecificWeight * DotKernel.Dot(specific.AsSpan(slots[r] * specificDim, specificDim), scan.Qs))
                    + (scan.Query.SharedWeight * DotKernel.Dot(shared.AsSpan(slots[r] * sharedDim, sharedDim), scan.Qc));
                var apart = Math.Abs(scores[(r * panel.Width) + lane] - exact);
                Assert.True(apart <= panel.Margins[lane], $"row {slots[r]}, query {lane}: {apart:E3} apart, margin {panel.Margins[lane]:E3}");
                worst = Math.Max(worst, apart / Math.Max(panel.Margins[lane], double.Epsilon));
            }

            for (var lane = queries; lane < panel.Width; lane++)
            {
                Assert.Equal(0f, scores[(r * panel.Width) + lane]);
            }
        }

        // The margin is a bound, not a guess: no difference came near it (it has four times headroom).
        Assert.True(worst < 0.5, $"a difference reached {worst:P0} of its margin");
    }

    [Fact]
    public void The_margin_grows_with_the_dimensions_and_the_weights_and_stays_far_below_a_score_step()
    {
        Assert.Equal(0, QueryPanel.Margin(0, 0, 256));
        Assert.True(QueryPanel.Margin(0.5, 0.5, 256) < QueryPanel.Margin(0.5, 0.5, 512));
        Assert.True(QueryPanel.Margin(0.5, 0.5, 256) < QueryPanel.Margin(1, 1, 256));
        Assert.InRange(QueryPanel.Margin(1, 1, 256), 1e-5, 1e-3);
    }

    private static float[] UnitRows(Random random, int rows, int dim)
    {
        var all = new float[rows * dim];
        for (var r = 0; r < rows; r++)
        {
            VectorRecordValidation.Normalised(VectorCorpus.RandomVector(random, dim), dim, "row", $"row{r}").CopyTo(all, r * dim);
        }

        return all;
    }
}
