namespace MS2GAN.Contracts;

/// <summary>
/// One item of an <see cref="ItemsIngested"/> event: recorded in the item store (created, or replaced by new content under
/// the same id). The encoder reads the item itself from the item store; the entry carries no content, only what a
/// consumer needs to route it and to tell a stale delivery from a current one.
/// </summary>
/// <param name="ItemId">The item's id in the item store.</param>
/// <param name="ContentHash">
/// SHA-256 (hex) of the content that was ingested. A consumer that finds a different hash in the item store is holding a
/// superseded entry: the item was replaced since, and a newer <see cref="ItemsIngested"/> for it follows.
/// </param>
/// <param name="HasImage">The item carries image bytes (in the media store).</param>
/// <param name="HasText">The item carries text.</param>
/// <param name="HasImageFeatures">The item carries pre-extracted image features (feature mode).</param>
/// <param name="HasTextFeatures">The item carries pre-extracted text features (feature mode).</param>
/// <param name="IngestedAt">When the ingest service recorded the item.</param>
public sealed record IngestedItem(
    string ItemId,
    string ContentHash,
    bool HasImage,
    bool HasText,
    bool HasImageFeatures,
    bool HasTextFeatures,
    DateTimeOffset IngestedAt);
