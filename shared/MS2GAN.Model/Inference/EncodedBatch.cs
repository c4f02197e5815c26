using MS2GAN.Features.Data;

namespace MS2GAN.Model.Inference;

/// <summary>The two L2-normalised outputs of one modality's encoder, row i of each belonging to input row i.</summary>
/// <param name="Specific">Modality-specific features, [rows, specific_dim].</param>
/// <param name="Shared">Modality-shared features, [rows, shared_dim].</param>
public sealed record EncodedBatch(FeatureMatrix Specific, FeatureMatrix Shared);
