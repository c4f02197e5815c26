namespace MS2GAN.Model.Evaluation;

/// <summary>Cross-modal mAP of one split: joint retrieval with the given weights, and the ablation.</summary>
/// <param name="Joint">Specific and shared features together, weighted by <paramref name="Weights"/>.</param>
/// <param name="Shared">Shared features only.</param>
/// <param name="Specific">Specific features only.</param>
/// <param name="Weights">The weights of the joint score.</param>
/// <param name="Items">How many pairs the split holds.</param>
public sealed record RetrievalReport(DirectionalMap Joint, DirectionalMap Shared, DirectionalMap Specific, RetrievalWeights Weights, int Items);
