using MS2GAN.Model.Evaluation;
using MS2GAN.Model.Training;

namespace MS2GAN.Model.Tests.Evaluation;

public sealed class WeightChoiceTests
{
    private static double[] Curve(params double[] values) => values;

    [Fact]
    public void The_candidates_run_from_specific_only_to_shared_only_in_tenths_and_sum_to_one()
    {
        var candidates = RetrievalEvaluator.Candidates;
        Assert.Equal(11, candidates.Count);
        Assert.Equal(RetrievalWeights.SpecificOnly, candidates[0]);
        Assert.Equal(RetrievalWeights.SharedOnly, candidates[10]);
        Assert.All(candidates, w => Assert.Equal(1.0, w.Specific + w.Shared, 9));
    }

    [Fact]
    public void A_clear_best_weighting_is_chosen_wherever_it_lies()
    {
        var curve = Curve(0.20, 0.21, 0.22, 0.23, 0.24, 0.25, 0.26, 0.27, 0.28, 0.29, 0.30);
        Assert.Equal(RetrievalWeights.SharedOnly, RetrievalEvaluator.Choose(curve, margin: 0));
    }

    [Fact]
    public void When_every_weighting_ties_equal_weights_are_chosen_not_the_first_candidate()
    {
        var flat = Enumerable.Repeat(1.0, 11).ToArray();
        Assert.Equal(new RetrievalWeights(0.5, 0.5), RetrievalEvaluator.Choose(flat, margin: 0));
    }

    [Fact]
    public void Within_the_margin_the_weighting_nearest_equal_weights_wins()
    {
        // The best (shared only, 0.30) leads 0.5/0.5 by 0.004 and 0.7/0.3 by 0.0015.
        var curve = Curve(0.28, 0.285, 0.29, 0.294, 0.295, 0.296, 0.297, 0.2985, 0.299, 0.2995, 0.300);
        Assert.Equal(RetrievalWeights.SharedOnly, RetrievalEvaluator.Choose(curve, margin: 0));
        Assert.Equal(new RetrievalWeights(0.3, 0.7), RetrievalEvaluator.Choose(curve, margin: 0.002));
        Assert.Equal(new RetrievalWeights(0.5, 0.5), RetrievalEvaluator.Choose(curve, margin: 0.005));
    }

    [Fact]
    public void A_curve_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrievalEvaluator.Choose(Curve(0.1, 0.2), margin: 0));
    }

    [Fact]
    public void The_default_margin_shrinks_with_the_square_root_of_the_validation_split()
    {
        var config = new Ms2GanConfig();
        Assert.Equal(0.025 / Math.Sqrt(326), Ms2GanTrainer.WeightMargin(config, 326), 12);
        Assert.Equal(2 * Ms2GanTrainer.WeightMargin(config, 400), Ms2GanTrainer.WeightMargin(config, 100), 12);
        Assert.Equal(0, Ms2GanTrainer.WeightMargin(config with { WeightMargin = 0 }, 326));
    }
}
