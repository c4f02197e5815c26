using TorchSharp;
using static TorchSharp.torch;

namespace MS2GAN.Model.Training;

/// <summary>
/// The MS2GAN objectives as pure functions of tensors, so each can be checked against hand-computed values.
/// </summary>
public static class Ms2GanLosses
{
    /// <summary>Label prediction: mean cross-entropy of the logits against integer labels.</summary>
    public static Tensor Label(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels);

    /// <summary>Label prediction as regression: mean over rows of the squared distance of the logits to the one-hot labels.</summary>
    public static Tensor SquaredLabel(Tensor logits, Tensor oneHot) => (logits - oneHot).pow(2).sum(1).mean();

    /// <summary>Modality invariance on paired items: mean over pairs of the squared distance between their shared features.</summary>
    public static Tensor Invariance(Tensor imageShared, Tensor textShared) => (imageShared - textShared).pow(2).sum(1).mean();

    /// <summary>
    /// Label-aware similarity between two sets of features (inter-modal when <paramref name="a"/> and
    /// <paramref name="b"/> come from different modalities, intra-modal when they are the same tensor).
    /// With theta = scale * cos(a_i, b_j), a pair sharing a label costs softplus(-theta) (pulled together)
    /// and any other pair softplus(theta) (pushed apart). Positives and negatives are averaged separately
    /// and the two means averaged, so the many negative pairs do not drown the few positives.
    /// When <paramref name="skipDiagonal"/> is set, pairs (i, i) are left out (an item with itself).
    /// </summary>
    public static Tensor Similarity(Tensor a, Tensor b, Tensor labelsA, Tensor labelsB, double scale, bool skipDiagonal)
    {
        var theta = nn.functional.normalize(a, p: 2, dim: 1).matmul(nn.functional.normalize(b, p: 2, dim: 1).t()) * scale;
        var same = labelsA.unsqueeze(1).eq(labelsB.unsqueeze(0)).to_type(ScalarType.Float32);
        var valid = ones_like(same);
        if (skipDiagonal)
        {
            valid = valid - eye(same.shape[0], same.shape[1], dtype: ScalarType.Float32, device: same.device);
        }
        var positive = same * valid;
        var negative = (1 - same) * valid;
        var positiveCost = (nn.functional.softplus(-theta) * positive).sum() / positive.sum().clamp_min(1);
        var negativeCost = (nn.functional.softplus(theta) * negative).sum() / negative.sum().clamp_min(1);
        return (positiveCost + negativeCost) / 2;
    }

    /// <summary>
    /// The joint feature of items: their row-normalised specific and shared features side by side, so that the cosine of
    /// two joint features is the mean of their specific and their shared cosines (retrieval at equal weights).
    /// </summary>
    public static Tensor Joint(Tensor specific, Tensor shared) =>
        cat([nn.functional.normalize(specific, p: 2, dim: 1), nn.functional.normalize(shared, p: 2, dim: 1)], 1);

    /// <summary>
    /// Difference between the specific and the shared features of the same items: the squared Frobenius norm
    /// of S^T C over row-normalised features, divided by the squared batch size. Zero when every specific
    /// direction is orthogonal to every shared one across the batch.
    /// </summary>
    public static Tensor Difference(Tensor specific, Tensor shared)
    {
        var s = nn.functional.normalize(specific, p: 2, dim: 1);
        var c = nn.functional.normalize(shared, p: 2, dim: 1);
        var n = (double)specific.shape[0];
        return s.t().matmul(c).pow(2).sum() / (n * n);
    }

    /// <summary>Discriminator objective: image shared features labelled 1, text shared features 0.</summary>
    public static Tensor Discriminator(Tensor imageLogits, Tensor textLogits) =>
        (nn.functional.binary_cross_entropy_with_logits(imageLogits, ones_like(imageLogits))
         + nn.functional.binary_cross_entropy_with_logits(textLogits, zeros_like(textLogits))) / 2;

    /// <summary>Generator's adversarial objective: make the discriminator call images texts and texts images.</summary>
    public static Tensor Adversarial(Tensor imageLogits, Tensor textLogits) =>
        (nn.functional.binary_cross_entropy_with_logits(imageLogits, zeros_like(imageLogits))
         + nn.functional.binary_cross_entropy_with_logits(textLogits, ones_like(textLogits))) / 2;
}
