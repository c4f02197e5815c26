namespace MS2GAN.Contracts;

/// <summary>
/// A trained model passed its quality gate and became the active model: encoders load it and write to
/// <paramref name="IndexName"/>, and search reads that index once the alias is swapped to it.
/// </summary>
/// <param name="ModelVersion">Version id from the model's manifest.</param>
/// <param name="ModelDirectory">The model folder (on the shared model volume) holding the ONNX encoders and manifest.</param>
/// <param name="IndexName">The physical vector index built for this model version.</param>
public sealed record ModelPromoted(string ModelVersion, string ModelDirectory, string IndexName);
