using MS2GAN.Features.Data;

namespace MS2GAN.Model.Training;

/// <summary>
/// Per-dimension standardisation fitted on training features: x' = (p(x) - Mean) * Scale, where p is the identity or,
/// with <see cref="Power"/> 0.5, the signed square root sign(x) sqrt(|x|) (power normalisation, which evens out the
/// bursty counts of histogram features before they are standardised). It makes features of
/// any scale usable (histograms summing to one, topic proportions, real values in the tens). A dimension
/// that barely varies in training gets a scale bounded by the median spread, so a small shift at inference
/// cannot blow up.
/// </summary>
/// <param name="Mean">Per-dimension mean.</param>
/// <param name="Scale">Per-dimension factor, 1/std in the usual case.</param>
/// <param name="Power">1 (none) or 0.5 (signed square root before the mean is subtracted).</param>
public sealed record FeatureNormalizer(float[] Mean, float[] Scale, double Power = 1)
{
    /// <summary>
    /// Fits mean and scale on the given rows of a matrix: <c>standardize</c>, <c>power</c> (signed square root, then
    /// standardise), <c>auto</c> (power when no training value is negative, as in histograms, counts and proportions;
    /// standardize otherwise) or <c>none</c>.
    /// </summary>
    public static FeatureNormalizer Fit(FeatureMatrix features, string method = "standardize")
    {
        var dim = features.Columns;
        if (method == "none")
        {
            return new FeatureNormalizer(new float[dim], Enumerable.Repeat(1f, dim).ToArray());
        }
        var power = method == "power" || (method == "auto" && !features.Values.Any(v => v < 0)) ? 0.5 : 1.0;
        if (power != 1)
        {
            features = new FeatureMatrix(features.Values.Select(v => Transform(v, power)).ToArray(), features.Rows, features.Columns);
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
            std.Select(s => (float)(1.0 / Math.Max(s, floor))).ToArray(),
            power);
    }

    /// <summary>The power transform of one value: x, or sign(x) sqrt(|x|) for power 0.5.</summary>
    public static float Transform(float x, double power) => power == 1 ? x : MathF.CopySign(MathF.Sqrt(MathF.Abs(x)), x);

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
                values[offset + c] = (Transform(row[c], Power) - Mean[c]) * Scale[c];
            }
        }
        return new FeatureMatrix(values, features.Rows, features.Columns);
    }
}
