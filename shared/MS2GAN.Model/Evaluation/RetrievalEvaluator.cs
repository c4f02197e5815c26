namespace MS2GAN.Model.Evaluation;

/// <summary>Scores encoded splits: cross-modal mAP for any weighting of specific and shared similarity.</summary>
public sealed class RetrievalEvaluator
{
    private readonly float[] _specificI2T;
    private readonly float[] _sharedI2T;
    private readonly float[] _specificT2I;
    private readonly float[] _sharedT2I;
    private readonly IReadOnlyList<int> _labels;
    private readonly int _n;

    /// <summary>Computes the four cosine score matrices once; every weighting reuses them.</summary>
    public RetrievalEvaluator(EncodedSplit split)
    {
        _n = split.Labels.Count;
        _labels = split.Labels;
        _specificI2T = MeanAveragePrecision.CosineScores(split.ImageSpecific, split.TextSpecific);
        _sharedI2T = MeanAveragePrecision.CosineScores(split.ImageShared, split.TextShared);
        _specificT2I = MeanAveragePrecision.CosineScores(split.TextSpecific, split.ImageSpecific);
        _sharedT2I = MeanAveragePrecision.CosineScores(split.TextShared, split.ImageShared);
    }

    /// <summary>mAP in both directions for one weighting.</summary>
    public DirectionalMap Evaluate(RetrievalWeights weights)
    {
        var (i2t, t2i) = Scores(weights);
        return new DirectionalMap(
            MeanAveragePrecision.FromScores(i2t, _n, _n, _labels, _labels),
            MeanAveragePrecision.FromScores(t2i, _n, _n, _labels, _labels));
    }

    /// <summary>The precision-recall curves and the AP per class in both directions for one weighting.</summary>
    public RetrievalCurves Curves(RetrievalWeights weights)
    {
        var (i2t, t2i) = Scores(weights);
        return new RetrievalCurves(
            PrecisionRecall.Curve(i2t, _n, _n, _labels, _labels),
            PrecisionRecall.Curve(t2i, _n, _n, _labels, _labels),
            PrecisionRecall.PerClass(i2t, _n, _n, _labels, _labels),
            PrecisionRecall.PerClass(t2i, _n, _n, _labels, _labels));
    }

    /// <summary>Joint retrieval with the given weights plus the shared-only and specific-only ablation.</summary>
    public RetrievalReport Report(RetrievalWeights weights) => new(
        Evaluate(weights),
        Evaluate(RetrievalWeights.SharedOnly),
        Evaluate(RetrievalWeights.SpecificOnly),
        weights,
        _n);

    private (float[] I2T, float[] T2I) Scores(RetrievalWeights weights)
    {
        weights.Validate();
        return (MeanAveragePrecision.Combine(_specificI2T, weights.Specific, _sharedI2T, weights.Shared),
            MeanAveragePrecision.Combine(_specificT2I, weights.Specific, _sharedT2I, weights.Shared));
    }

    /// <summary>The shared fractions a weighting search considers: 0, 0.1, ..., 1 (specific weight 1 - fraction).</summary>
    public static IReadOnlyList<RetrievalWeights> Candidates { get; } =
        Enumerable.Range(0, 11).Select(step => new RetrievalWeights(Math.Round(1 - step / 10.0, 2), step / 10.0)).ToArray();

    /// <summary>The average mAP at each of <see cref="Candidates"/>, in their order.</summary>
    public double[] WeightCurve() => Candidates.Select(weights => Evaluate(weights).Avg).ToArray();

    /// <summary>
    /// The weighting with the best average mAP on <paramref name="curve"/> (a <see cref="WeightCurve"/> of the validation
    /// split); of weightings within <paramref name="margin"/> of the best, the one nearest equal weights (0.5/0.5).
    /// </summary>
    public static RetrievalWeights Choose(IReadOnlyList<double> curve, double margin)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(curve.Count, Candidates.Count);
        var best = curve.Max();
        return Enumerable.Range(0, Candidates.Count)
            .Where(k => curve[k] >= best - margin - 1e-9)
            .OrderBy(k => Math.Abs(Candidates[k].Shared - 0.5))
            .ThenByDescending(k => curve[k])
            .Select(k => Candidates[k])
            .First();
    }
}
