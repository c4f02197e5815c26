using MS2GAN.Features.Data;

namespace MS2GAN.Model.Inference;

/// <summary>The outputs of one modality's encoder, row i of each belonging to input row i.</summary>
/// <param name="Specific">Modality-specific features, L2-normalised, [rows, specific_dim].</param>
/// <param name="Shared">Modality-shared features, L2-normalised, [rows, shared_dim].</param>
/// <param name="Probabilities">Class probabilities, [rows, classes], rows summing to one; null when the encoder has no label head (older models).</param>
public sealed record EncodedBatch(FeatureMatrix Specific, FeatureMatrix Shared, FeatureMatrix? Probabilities = null);
