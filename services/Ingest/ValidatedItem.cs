namespace MS2GAN.Ingest;

/// <summary>An item that passed validation: ready to be recorded, nothing stored yet.</summary>
internal sealed record ValidatedItem(
    string Id,
    string? Text,
    ReadOnlyMemory<byte>? Image,
    string? ImageContentType,
    float[]? ImageFeatures,
    float[]? TextFeatures,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, string> Metadata);
