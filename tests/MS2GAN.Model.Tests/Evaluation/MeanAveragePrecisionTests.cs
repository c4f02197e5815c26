using MS2GAN.Features.Data;
using MS2GAN.Model.Evaluation;

namespace MS2GAN.Model.Tests.Evaluation;

public sealed class MeanAveragePrecisionTests
{
    [Fact]
    public void Average_precision_counts_precision_at_each_relevant_rank()
    {
        // relevant at ranks 1 and 3: (1/1 + 2/3) / 2
        var ap = MeanAveragePrecision.AveragePrecision([0.9f, 0.8f, 0.7f, 0.6f], 1, [1, 0, 1, 0]);
        Assert.Equal(5.0 / 6, ap, 1e-12);
    }

    [Fact]
    public void Ranks_by_score_not_by_position()
    {
        // order by score: item 3 (rel), 1, 2 (rel), 0 -> relevant at ranks 1 and 3
        var ap = MeanAveragePrecision.AveragePrecision([0.1f, 0.8f, 0.5f, 0.9f], 1, [0, 0, 1, 1]);
        Assert.Equal(5.0 / 6, ap, 1e-12);
    }

    [Fact]
    public void Ties_keep_database_order()
    {
        // all tied: ranks follow item order, relevant items 1 and 2 are at ranks 2 and 3: (1/2 + 2/3) / 2
        var ap = MeanAveragePrecision.AveragePrecision([0.5f, 0.5f, 0.5f], 1, [0, 1, 1]);
        Assert.Equal((0.5 + 2.0 / 3) / 2, ap, 1e-12);
        // the same ties with the relevant items first score 1
        Assert.Equal(1.0, MeanAveragePrecision.AveragePrecision([0.5f, 0.5f, 0.5f], 1, [1, 1, 0]), 1e-12);
    }

    [Fact]
    public void Queries_without_relevant_items_are_left_out_of_the_mean()
    {
        float[] scores =
        [
            0.9f, 0.1f, // query 0 (label 0): relevant item 0 ranked first: AP 1
            0.2f, 0.8f, // query 1 (label 0): relevant item 0 ranked second: AP 1/2
            0.3f, 0.4f, // query 2 (label 5): nothing relevant, left out
        ];
        var map = MeanAveragePrecision.FromScores(scores, 3, 2, [0, 0, 5], [0, 1]);
        // mean over queries 0 and 1: 0.75 (counting query 2 as 0 would give 0.5)
        Assert.Equal(0.75, map, 1e-12);
    }

    [Fact]
    public void Cosine_scores_ignore_vector_length()
    {
        var queries = new FeatureMatrix([3, 0, 0, 2], 2, 2);
        var items = new FeatureMatrix([1, 1, 0, 5], 2, 2);
        var scores = MeanAveragePrecision.CosineScores(queries, items);
        Assert.Equal(1 / Math.Sqrt(2), scores[0], 1e-6);
        Assert.Equal(0.0, scores[1], 1e-6);
        Assert.Equal(1 / Math.Sqrt(2), scores[2], 1e-6);
        Assert.Equal(1.0, scores[3], 1e-6);
    }

    [Fact]
    public void Joint_weights_trade_one_similarity_against_the_other()
    {
        var combined = MeanAveragePrecision.Combine([1f, 0f], 0.25, [0f, 1f], 0.75);
        Assert.Equal([0.25f, 0.75f], combined);
    }
}
