namespace MS2GAN.Model.Export;

/// <summary>
/// The label classifiers of a trained network, one on the specific features S and one on the shared features C (each
/// shared by both modalities). Class probabilities are the mean of their two softmaxes, computed from S and C before
/// they are L2-normalised.
/// </summary>
/// <param name="Specific">Linear layer S -> class logits.</param>
/// <param name="Shared">Linear layer C -> class logits.</param>
public sealed record LabelHead(DenseLayer Specific, DenseLayer Shared)
{
    /// <summary>Number of classes.</summary>
    public int ClassCount => Specific.OutFeatures;
}
