namespace MS2GAN.Storage.Vectors;

/// <summary>A physical vector index: one per model version, usually read through an alias.</summary>
/// <param name="Name">Index name: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 200 characters.</param>
/// <param name="SpecificDim">Dimension of the specific vectors.</param>
/// <param name="SharedDim">Dimension of the shared vectors.</param>
/// <param name="ModelVersion">The model version whose encoders produced the vectors, when known.</param>
public sealed record IndexDefinition(string Name, int SpecificDim, int SharedDim, string? ModelVersion);
