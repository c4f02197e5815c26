namespace MS2GAN.Encoder;

/// <summary>What happened to the items of one encoder batch.</summary>
/// <param name="Indexed">Items written to the index, with the modalities each got.</param>
/// <param name="Failed">Items that could not be encoded, with the reason (marked failed in the item store).</param>
/// <param name="Missing">Items no longer in the item store (deleted meanwhile); nothing to do.</param>
/// <param name="Superseded">Items announced with content they no longer hold (replaced meanwhile): the newer announcement indexes them.</param>
/// <param name="Waiting">Items kept with their base features while no model is active yet: the first retrain indexes them.</param>
/// <param name="ModelVersion">The active version the items were encoded with; null while there is none.</param>
/// <param name="IndexName">The active version's index they were written to; null while there is none.</param>
public sealed record EncodeOutcome(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Indexed,
    IReadOnlyDictionary<string, string> Failed,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Superseded,
    IReadOnlyList<string> Waiting,
    string? ModelVersion,
    string? IndexName);
