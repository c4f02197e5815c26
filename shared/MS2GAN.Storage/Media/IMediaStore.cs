namespace MS2GAN.Storage.Media;

/// <summary>
/// Where large payloads (image bytes) live; messages and item records carry only the reference
/// <see cref="PutAsync(string, Stream, string, CancellationToken)"/> returns. Implementations are safe for
/// concurrent use.
/// </summary>
public interface IMediaStore
{
    /// <summary>
    /// Stores the bytes of <paramref name="content"/> for an item and returns their reference. Readers never
    /// see half-written media. Putting the same bytes for the same item again returns the same reference;
    /// new bytes get a new reference, and the old one is the caller's to delete.
    /// </summary>
    /// <exception cref="ArgumentException">The item id is not valid, the content is empty or the content type is malformed.</exception>
    /// <exception cref="MediaTooLargeException">The content is larger than the store accepts; nothing is stored.</exception>
    Task<string> PutAsync(string itemId, Stream content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="content"/>; see <see cref="PutAsync(string, Stream, string, CancellationToken)"/>.</summary>
    Task<string> PutAsync(string itemId, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Opens stored media for reading; null when there is none under this reference.</summary>
    /// <exception cref="ArgumentException"><paramref name="mediaRef"/> is not a reference this store could have made.</exception>
    Task<Stream?> OpenReadAsync(string mediaRef, CancellationToken cancellationToken = default);

    /// <summary>Deletes stored media; false when there was none under this reference.</summary>
    /// <exception cref="ArgumentException"><paramref name="mediaRef"/> is not a reference this store could have made.</exception>
    Task<bool> DeleteAsync(string mediaRef, CancellationToken cancellationToken = default);
}
