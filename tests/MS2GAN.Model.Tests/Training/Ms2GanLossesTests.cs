using MS2GAN.Model.Training;
using static TorchSharp.torch;

namespace MS2GAN.Model.Tests.Training;

// Expected values are worked out by hand in the comments: softplus(x) = ln(1 + e^x).
public sealed class Ms2GanLossesTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Label_loss_is_the_mean_cross_entropy()
    {
        using var logits = tensor(new float[] { 2, 0, 0, 1 }, [2, 2]);
        using var labels = tensor(new long[] { 0, 1 });
        // row 0: ln(1 + e^-2) = 0.126928; row 1: ln(1 + e^-1) = 0.313262; mean 0.220095
        Assert.Equal(0.220095, Ms2GanLosses.Label(logits, labels).item<float>(), Tolerance);
    }

    [Fact]
    public void Similarity_averages_positive_and_negative_pairs_separately()
    {
        using var a = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var b = tensor(new float[] { 1, 0, 1, 0 }, [2, 2]);
        using var labelsA = tensor(new long[] { 0, 1 });
        using var labelsB = tensor(new long[] { 0, 0 });
        // cos = [[1, 1], [0, 0]]; positives (0,0), (0,1) at cos 1 cost softplus(-1) = 0.313262 each;
        // negatives (1,0), (1,1) at cos 0 cost ln 2 = 0.693147 each; (0.313262 + 0.693147) / 2 = 0.503204
        Assert.Equal(0.503204, Ms2GanLosses.Similarity(a, b, labelsA, labelsB, 1.0, false).item<float>(), Tolerance);
    }

    [Fact]
    public void Intra_modal_similarity_leaves_out_each_item_with_itself()
    {
        using var a = tensor(new float[] { 1, 0, 1, 0, 0, 1 }, [3, 2]);
        using var labels = tensor(new long[] { 0, 0, 1 });
        // off-diagonal: (0,1), (1,0) share a label at cos 1: softplus(-2) = 0.126928 (scale 2);
        // the four pairs with item 2 are negatives at cos 0: ln 2. (0.126928 + 0.693147) / 2 = 0.410038
        Assert.Equal(0.410038, Ms2GanLosses.Similarity(a, a, labels, labels, 2.0, true).item<float>(), Tolerance);
        // Keeping the diagonal adds (2,2) as a positive at cos 1 and (0,0), (1,1) too: all positives cost 0.126928.
        Assert.Equal((0.126928 + 0.693147) / 2, Ms2GanLosses.Similarity(a, a, labels, labels, 2.0, false).item<float>(), Tolerance);
    }

    [Fact]
    public void Similarity_is_lower_when_same_label_items_align()
    {
        using var labels = tensor(new long[] { 0, 1 });
        using var aligned = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var crossed = tensor(new float[] { 0, 1, 1, 0 }, [2, 2]);
        var good = Ms2GanLosses.Similarity(aligned, aligned, labels, labels, 5.0, false).item<float>();
        var bad = Ms2GanLosses.Similarity(aligned, crossed, labels, labels, 5.0, false).item<float>();
        Assert.True(good < bad, $"aligned {good} should cost less than crossed {bad}");
    }

    [Fact]
    public void The_cosine_of_joint_features_is_the_mean_of_the_specific_and_shared_cosines()
    {
        // Item a: specific (3, 4), shared (1, 0); item b: specific (4, 3), shared (0, 2).
        using var specific = tensor(new float[] { 3, 4, 4, 3 }, [2, 2]);
        using var shared = tensor(new float[] { 1, 0, 0, 2 }, [2, 2]);
        using var joint = Ms2GanLosses.Joint(specific, shared);
        using var a = joint[0];
        using var b = joint[1];
        // cos specific = (12 + 12) / 25 = 0.96; cos shared = 0; cos joint = (0.96 + 0) / 2 = 0.48
        var cosine = (a.dot(b) / (a.norm() * b.norm())).item<float>();
        Assert.Equal(0.48, cosine, Tolerance);
        Assert.Equal([2L, 4L], joint.shape);
    }

    [Fact]
    public void Difference_is_the_squared_cross_correlation_over_the_batch()
    {
        using var specific = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var shared = tensor(new float[] { 3, 0, 1, 0 }, [2, 2]);
        // rows normalised: S = I, C = [[1,0],[1,0]]; S^T C = C; ||C||_F^2 = 2; divided by n^2 = 4: 0.5
        Assert.Equal(0.5, Ms2GanLosses.Difference(specific, shared).item<float>(), Tolerance);
    }

    [Fact]
    public void Difference_is_zero_when_specific_and_shared_are_uncorrelated()
    {
        using var specific = tensor(new float[] { 1, 0, -1, 0 }, [2, 2]);
        using var shared = tensor(new float[] { 0, 1, 0, 1 }, [2, 2]);
        Assert.Equal(0.0, Ms2GanLosses.Difference(specific, shared).item<float>(), Tolerance);
    }

    [Fact]
    public void Discriminator_and_adversarial_losses_pull_in_opposite_directions()
    {
        using var undecided = tensor(new float[] { 0 });
        // BCE at logit 0 is ln 2 whatever the target
        Assert.Equal(0.693147, Ms2GanLosses.Discriminator(undecided, undecided).item<float>(), Tolerance);
        Assert.Equal(0.693147, Ms2GanLosses.Adversarial(undecided, undecided).item<float>(), Tolerance);

        using var image = tensor(new float[] { 2 });
        using var text = tensor(new float[] { -2 });
        // a discriminator that is right: softplus(-2) = 0.126928 for it, softplus(2) = 2.126928 for the generator
        Assert.Equal(0.126928, Ms2GanLosses.Discriminator(image, text).item<float>(), Tolerance);
        Assert.Equal(2.126928, Ms2GanLosses.Adversarial(image, text).item<float>(), Tolerance);
    }
}
