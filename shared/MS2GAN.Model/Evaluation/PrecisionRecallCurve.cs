namespace MS2GAN.Model.Evaluation;

/// <summary>Mean recall and precision at every cut-off k = 1..N (index k - 1), over <paramref name="Queries"/> queries.</summary>
/// <param name="Recall">Mean recall@k.</param>
/// <param name="Precision">Mean precision@k.</param>
/// <param name="Queries">The queries averaged (those with at least one relevant item).</param>
public sealed record PrecisionRecallCurve(IReadOnlyList<double> Recall, IReadOnlyList<double> Precision, int Queries);
