namespace MS2GAN.Model.Evaluation;

/// <summary>
/// The precision-recall curve of ranked retrieval as the cross-modal literature draws it: for every cut-off k = 1..N of
/// the ranked database, precision@k and recall@k averaged over the queries; and AP averaged per query class. Ranking
/// and relevance are those of <see cref="MeanAveragePrecision"/> (stable sort by score, relevant when the labels agree),
/// and queries without any relevant item are left out, as they are of the mAP.
/// </summary>
public static class PrecisionRecall
{
    /// <summary>The curve of a row-major score matrix [queries x items].</summary>
    public static PrecisionRecallCurve Curve(float[] scores, int queries, int items, IReadOnlyList<int> queryLabels, IReadOnlyList<int> itemLabels)
    {
        MeanAveragePrecision.CheckShape(scores, queries, items, queryLabels, itemLabels);
        var precision = new double[items];
        var recall = new double[items];
        var counted = 0;
        for (var q = 0; q < queries; q++)
        {
            var relevant = itemLabels.Count(label => label == queryLabels[q]);
            if (relevant == 0)
            {
                continue;
            }
            counted++;
            var order = MeanAveragePrecision.Rank(scores.AsSpan(q * items, items));
            var hits = 0;
            for (var k = 0; k < items; k++)
            {
                if (itemLabels[order[k]] == queryLabels[q])
                {
                    hits++;
                }
                precision[k] += (double)hits / (k + 1);
                recall[k] += (double)hits / relevant;
            }
        }
        for (var k = 0; k < items && counted > 0; k++)
        {
            precision[k] /= counted;
            recall[k] /= counted;
        }
        return new PrecisionRecallCurve(recall, precision, counted);
    }

    /// <summary>Mean AP of the queries of each class (by label, in label order), leaving out queries without a relevant item.</summary>
    public static IReadOnlyDictionary<int, double> PerClass(float[] scores, int queries, int items, IReadOnlyList<int> queryLabels, IReadOnlyList<int> itemLabels)
    {
        var ap = MeanAveragePrecision.PerQuery(scores, queries, items, queryLabels, itemLabels);
        return Enumerable.Range(0, queries)
            .Where(q => !double.IsNaN(ap[q]))
            .GroupBy(q => queryLabels[q])
            .OrderBy(group => group.Key)
            .ToDictionary(group => group.Key, group => group.Average(q => ap[q]));
    }
}
