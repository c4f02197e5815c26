namespace MS2GAN.Contracts;

/// <summary>
/// A candidate passed its quality gate and its index is being built: from now on the encoders write new items to
/// both the active index and <paramref name="IndexName"/>. Search switches when the alias is swapped
/// (<see cref="ReindexCompleted"/>).
/// </summary>
/// <param name="ModelVersion">Version id from the model's manifest.</param>
/// <param name="ModelDirectory">The model folder (in the model registry) holding the ONNX encoders and manifest.</param>
/// <param name="IndexName">The physical vector index built for this model version.</param>
/// <param name="RequestId">The command's request id.</param>
public sealed record ModelPromoted(string ModelVersion, string ModelDirectory, string IndexName, Guid? RequestId = null);
