using MS2GAN.Features.Data;

namespace MS2GAN.Model.Training;

/// <summary>
/// Per-dimension standardisation fitted on training features: x' = (x - Mean) * Scale. It makes features of
/// any scale usable (histograms summing to one, topic proportions, real values in the tens). A dimension
/// that barely varies in training gets a scale bounded by the median spread, so a small shift at inference
/// cannot blow up.
/// </summary>
/// <param name="Mean">Per-dimension mean.</param>
/// <param name="Scale">Per-dimension factor, 1/std in the usual case.</param>
public sealed record FeatureNormalizer(float[] Mean, float[] Scale)
{
    /// <summary>Fits mean and scale on the given rows of a matrix.</summary>
    public static FeatureNormalizer Fit(FeatureMatrix features, string method = "standardize")
    {
        var dim = features.Columns;
        if (method == "none")
        {
            return new FeatureNormalizer(new float[dim], Enumerable.Repeat(1f, dim).ToArray());
        }
        var mean = new double[dim];
        var squares = new double[dim];
        for (var r = 0; r < features.Rows; r++)
        {
            var row = features.Row(r);
            for (var c = 0; c < dim; c++)
            {
                mean[c] += row[c];
            }
        }
        for (var c = 0; c < dim; c++)
        {
            mean[c] /= Math.Max(1, features.Rows);
        }
        for (var r = 0; r < features.Rows; r++)
        {
            var row = features.Row(r);
            for (var c = 0; c < dim; c++)
            {
                var d = row[c] - mean[c];
                squares[c] += d * d;
            }
        }
        var std = squares.Select(s => Math.Sqrt(s / Math.Max(1, features.Rows))).ToArray();
        var positive = std.Where(s => s > 0).OrderBy(s => s).ToArray();
        var floor = positive.Length == 0 ? 1.0 : positive[positive.Length / 2] * 1e-2;
        return new FeatureNormalizer(
            mean.Select(m => (float)m).ToArray(),
            std.Select(s => (float)(1.0 / Math.Max(s, floor))).ToArray());
    }

    /// <summary>Applies the normalisation to a copy of the matrix.</summary>
    public FeatureMatrix Apply(FeatureMatrix features)
    {
        if (features.Columns != Mean.Length)
        {
            throw new ArgumentException($"features have {features.Columns} dimensions, the normaliser {Mean.Length}");
        }
        var values = new float[features.Values.Length];
        for (var r = 0; r < features.Rows; r++)
        {
            var row = features.Row(r);
            var offset = r * features.Columns;
            for (var c = 0; c < features.Columns; c++)
            {
                values[offset + c] = (row[c] - Mean[c]) * Scale[c];
            }
        }
        return new FeatureMatrix(values, features.Rows, features.Columns);
    }
}
