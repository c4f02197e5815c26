using MS2GAN.Model.Evaluation;

namespace MS2GAN.Model.Tests.Evaluation;

public sealed class PrecisionRecallTests
{
    // Three database items labelled 0, 1, 0, and four queries:
    //   A (label 0) ranks items 0, 1, 2: relevant at ranks 1 and 3; precision 1, 1/2, 2/3; recall 1/2, 1/2, 1; AP 5/6
    //   B (label 1) ranks items 2, 0, 1: relevant at rank 3;        precision 0, 0, 1/3;   recall 0, 0, 1;     AP 1/3
    //   C (label 2): nothing relevant, left out
    //   D (label 0) ranks items 1, 2, 0: relevant at ranks 2 and 3; precision 0, 1/2, 2/3; recall 0, 1/2, 1;   AP 7/12
    private static readonly float[] Scores =
    [
        0.9f, 0.8f, 0.1f,
        0.3f, 0.2f, 0.7f,
        0.5f, 0.4f, 0.3f,
        0.1f, 0.9f, 0.8f,
    ];

    private static readonly int[] QueryLabels = [0, 1, 2, 0];
    private static readonly int[] ItemLabels = [0, 1, 0];

    [Fact]
    public void The_curve_averages_precision_and_recall_at_each_cut_off_over_the_queries_with_a_relevant_item()
    {
        var curve = PrecisionRecall.Curve(Scores, 4, 3, QueryLabels, ItemLabels);

        Assert.Equal(3, curve.Queries);
        Assert.Equal([1.0 / 3, 1.0 / 3, 5.0 / 9], curve.Precision, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([1.0 / 6, 1.0 / 3, 1.0], curve.Recall, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Per_class_ap_is_the_mean_ap_of_the_classs_queries_and_agrees_with_the_map()
    {
        var perClass = PrecisionRecall.PerClass(Scores, 4, 3, QueryLabels, ItemLabels);

        Assert.Equal([0, 1], perClass.Keys);
        Assert.Equal((5.0 / 6 + 7.0 / 12) / 2, perClass[0], 1e-12);
        Assert.Equal(1.0 / 3, perClass[1], 1e-12);
        Assert.Equal((5.0 / 6 + 1.0 / 3 + 7.0 / 12) / 3, MeanAveragePrecision.FromScores(Scores, 4, 3, QueryLabels, ItemLabels), 1e-12);
    }
}
