namespace MS2GAN.Storage.Vectors;

/// <summary>One search result.</summary>
/// <param name="ItemId">The item's id.</param>
/// <param name="Modality">The modality of the record that matched.</param>
/// <param name="Score">The weighted similarity; higher is better.</param>
/// <param name="Labels">The record's labels.</param>
/// <param name="Metadata">The record's metadata.</param>
/// <param name="AutoLabel">The record's predicted label, when the item was ingested without labels.</param>
public sealed record VectorHit(
    string ItemId,
    string Modality,
    double Score,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, string> Metadata,
    AutoLabel? AutoLabel = null);
