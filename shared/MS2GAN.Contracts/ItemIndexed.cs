namespace MS2GAN.Contracts;

/// <summary>An item's vectors were written to a vector index and the item became searchable there.</summary>
/// <param name="ItemId">The item's id in the item store.</param>
/// <param name="ModelVersion">Version id of the model whose encoders produced the vectors.</param>
/// <param name="IndexName">The physical index written (one per model version), not the alias.</param>
/// <param name="Modalities">The modalities indexed for the item; values from <see cref="ItemModalities"/>.</param>
/// <param name="IndexedAt">When the vectors were written.</param>
public sealed record ItemIndexed(
    string ItemId,
    string ModelVersion,
    string IndexName,
    IReadOnlyList<string> Modalities,
    DateTimeOffset IndexedAt);
