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

    /// <summary>
    /// The weighting with the best average mAP among shared fractions 0, 0.1, ..., 1 (weights sum to one).
    /// Meant for the validation split only.
    /// </summary>
    public RetrievalWeights BestWeights()
    {
        var best = RetrievalWeights.SharedOnly;
        var bestMap = double.NegativeInfinity;
        for (var step = 0; step <= 10; step++)
        {
            var shared = step / 10.0;
            var weights = new RetrievalWeights(Math.Round(1 - shared, 2), shared);
            var map = Evaluate(weights).Avg;
            if (map > bestMap + 1e-9)
            {
                bestMap = map;
                best = weights;
            }
        }
        return best;
    }
}
