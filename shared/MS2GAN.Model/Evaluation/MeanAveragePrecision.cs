using MS2GAN.Features.Data;

namespace MS2GAN.Model.Evaluation;

/// <summary>
/// mAP over the whole ranked database, as the cross-modal literature reports it: every database item is
/// ranked for every query, an item is relevant when it shares the query's label, and
/// AP = sum over relevant ranks k of precision@k, divided by the number of relevant items. Ties in score
/// keep database order (a stable sort), as numpy's stable argsort in the peer baselines does. Queries
/// without any relevant item are left out of the mean.
/// </summary>
public static class MeanAveragePrecision
{
    /// <summary>AP of one query given its scores against every database item.</summary>
    public static double AveragePrecision(ReadOnlySpan<float> scores, int queryLabel, ReadOnlySpan<int> itemLabels)
    {
        var order = Rank(scores);
        double hits = 0, sum = 0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            if (itemLabels[order[rank]] == queryLabel)
            {
                hits++;
                sum += hits / (rank + 1);
            }
        }
        return hits == 0 ? double.NaN : sum / hits;
    }

    /// <summary>Database indices from the best score to the worst; ties keep database order.</summary>
    public static int[] Rank(ReadOnlySpan<float> scores)
    {
        var order = new int[scores.Length];
        var keys = new float[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            keys[i] = -scores[i];
        }
        // Array.Sort is not stable; sort on (key, index) instead.
        Array.Sort(order, (x, y) =>
        {
            var c = keys[x].CompareTo(keys[y]);
            return c != 0 ? c : x.CompareTo(y);
        });
        return order;
    }

    /// <summary>mAP from a row-major score matrix [queries x items].</summary>
    public static double FromScores(float[] scores, int queries, int items, IReadOnlyList<int> queryLabels, IReadOnlyList<int> itemLabels)
    {
        var valid = PerQuery(scores, queries, items, queryLabels, itemLabels).Where(v => !double.IsNaN(v)).ToArray();
        return valid.Length == 0 ? 0 : valid.Average();
    }

    /// <summary>AP of every query of a row-major score matrix [queries x items]; NaN for a query without a relevant item.</summary>
    public static double[] PerQuery(float[] scores, int queries, int items, IReadOnlyList<int> queryLabels, IReadOnlyList<int> itemLabels)
    {
        CheckShape(scores, queries, items, queryLabels, itemLabels);
        var itemLabelArray = itemLabels.ToArray();
        var ap = new double[queries];
        Parallel.For(0, queries, q => ap[q] = AveragePrecision(scores.AsSpan(q * items, items), queryLabels[q], itemLabelArray));
        return ap;
    }

    /// <summary>Throws when the score matrix and the label lists do not agree in size.</summary>
    public static void CheckShape(float[] scores, int queries, int items, IReadOnlyList<int> queryLabels, IReadOnlyList<int> itemLabels)
    {
        if ((long)queries * items != scores.LongLength || queryLabels.Count != queries || itemLabels.Count != items)
        {
            throw new ArgumentException("scores, query labels and item labels do not agree in size");
        }
    }

    /// <summary>Cosine similarity of every query row with every item row, row-major [queries x items].</summary>
    public static float[] CosineScores(FeatureMatrix queries, FeatureMatrix items)
    {
        if (queries.Columns != items.Columns)
        {
            throw new ArgumentException($"queries have {queries.Columns} dimensions but items have {items.Columns}");
        }
        var q = Normalize(queries);
        var d = Normalize(items);
        var scores = new float[queries.Rows * items.Rows];
        Parallel.For(0, queries.Rows, i =>
        {
            var qi = q.AsSpan(i * queries.Columns, queries.Columns);
            for (var j = 0; j < items.Rows; j++)
            {
                scores[i * items.Rows + j] = System.Numerics.Tensors.TensorPrimitives.Dot(qi, d.AsSpan(j * items.Columns, items.Columns));
            }
        });
        return scores;
    }

    /// <summary>Weighted sum of two score matrices of the same shape.</summary>
    public static float[] Combine(float[] a, double weightA, float[] b, double weightB)
    {
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = (float)(weightA * a[i] + weightB * b[i]);
        }
        return result;
    }

    private static float[] Normalize(FeatureMatrix m)
    {
        var values = (float[])m.Values.Clone();
        for (var i = 0; i < m.Rows; i++)
        {
            var row = values.AsSpan(i * m.Columns, m.Columns);
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
            if (norm > 1e-12f)
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
            }
        }
        return values;
    }
}
