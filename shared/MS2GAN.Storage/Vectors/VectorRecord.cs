namespace MS2GAN.Storage.Vectors;

/// <summary>
/// One encoded item in one modality: its modality-specific vector S and its modality-shared vector C.
/// The pair (<see cref="ItemId"/>, <see cref="Modality"/>) identifies the record inside an index.
/// </summary>
/// <param name="ItemId">The item's id in the system of record.</param>
/// <param name="Modality"><see cref="VectorModalities.Image"/> or <see cref="VectorModalities.Text"/>.</param>
/// <param name="Specific">The modality-specific vector S; the store L2-normalises a copy on write.</param>
/// <param name="Shared">The modality-shared vector C; the store L2-normalises a copy on write.</param>
/// <param name="Labels">Semantic labels, used by <see cref="VectorQuery.AnyOfLabels"/> filters.</param>
/// <param name="Metadata">String metadata, used by <see cref="VectorQuery.Metadata"/> exact-match filters.</param>
/// <param name="AutoLabel">The label the model predicts for an item without labels, used by <see cref="VectorQuery.AutoLabel"/> filters.</param>
public sealed record VectorRecord(
    string ItemId,
    string Modality,
    float[] Specific,
    float[] Shared,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, string> Metadata,
    AutoLabel? AutoLabel = null);
