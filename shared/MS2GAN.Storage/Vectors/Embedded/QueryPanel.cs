namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// Up to 16 queries of one exact pass laid out for <see cref="DotKernel.Tile"/>: a line of <see cref="Width"/> values per
/// dimension (the specific ones, then the shared ones), lane j holding query j's weighted component (SpecificWeight · S_q,
/// SharedWeight · C_q), so one multiply-add per lane gives each query's weighted score. Lanes past the real queries are
/// zeros, screened out by a bar no score reaches.
/// </summary>
internal sealed class QueryPanel
{
    private QueryPanel(int width, int specificDim, int sharedDim, int[] queries)
    {
        Width = width;
        Queries = queries;
        Lines = new float[(specificDim + sharedDim) * width];
        Margins = new double[queries.Length];
    }

    /// <summary>8 or 16 lanes.</summary>
    public int Width { get; }

    /// <summary>The lines, dimension-major: <c>Lines[d * Width + lane]</c>.</summary>
    public float[] Lines { get; }

    /// <summary>The batch index of the query in each real lane.</summary>
    public int[] Queries { get; }

    /// <summary>Per real lane, how far a tile's score may be from the exact one (<see cref="Margin"/>).</summary>
    public double[] Margins { get; }

    /// <summary>The <paramref name="active"/> queries of <paramref name="batch"/> in panels of 16, the last one of 8 when it fits.</summary>
    public static QueryPanel[] Pack(ExactScan[] batch, int[] active, int specificDim, int sharedDim)
    {
        var panels = new List<QueryPanel>();
        for (var start = 0; start < active.Length; start += 16)
        {
            var count = Math.Min(16, active.Length - start);
            var panel = new QueryPanel(count > 8 ? 16 : 8, specificDim, sharedDim, active[start..(start + count)]);
            for (var lane = 0; lane < count; lane++)
            {
                var scan = batch[panel.Queries[lane]];
                double ws = scan.Query.SpecificWeight, wc = scan.Query.SharedWeight;
                for (var d = 0; d < specificDim; d++)
                {
                    panel.Lines[(d * panel.Width) + lane] = (float)(ws * scan.Qs[d]);
                }

                for (var d = 0; d < sharedDim; d++)
                {
                    panel.Lines[((specificDim + d) * panel.Width) + lane] = (float)(wc * scan.Qc[d]);
                }

                panel.Margins[lane] = Margin(ws, wc, specificDim + sharedDim);
            }

            panels.Add(panel);
        }

        return [.. panels];
    }

    /// <summary>
    /// A screening bar per lane before anything is kept: every score of a real lane passes, none of a padding lane.
    /// </summary>
    public float[] OpenBars()
    {
        var bars = new float[Width];
        Array.Fill(bars, float.PositiveInfinity);
        Array.Fill(bars, float.NegativeInfinity, 0, Queries.Length);
        return bars;
    }

    /// <summary>
    /// The most a tile's score can differ from the exact one, with four times headroom. Rows and queries are unit
    /// vectors, so each sum of n products is within n·2⁻²⁴ of the true dot product (the float rounding of a sum of
    /// products whose absolute values add up to at most 1, times its weight); the tile's sum and the exact one's both
    /// are, over n = all dimensions, and rounding the weighted query adds one more unit: at most 2·(n + 1)·2⁻²⁴·(|ws| + |wc|)
    /// apart. A row whose exact score would be kept scores at least its bar minus this, so none is screened out.
    /// </summary>
    public static double Margin(double specificWeight, double sharedWeight, int dims) =>
        (Math.Abs(specificWeight) + Math.Abs(sharedWeight)) * (dims + 1) * Math.ScaleB(1, -21);
}
