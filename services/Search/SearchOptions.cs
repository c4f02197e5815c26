using MS2GAN.Storage.Media;

namespace MS2GAN.Search;

/// <summary>Limits of the search service (configuration section "Search"), validated on start.</summary>
public sealed class SearchOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Search";

    /// <summary>The largest query image accepted, in bytes (a multipart file, or base64 after decoding): the ingest default.</summary>
    public long MaxImageBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>The largest media GET /v1/items/{id}/media sends, in bytes: the media store's own limit by default.</summary>
    public long MaxMediaBytes { get; set; } = FileMediaStoreOptions.DefaultMaxBytes;

    /// <summary>The longest query text accepted, in characters: the ingest default for item texts.</summary>
    public int MaxTextLength { get; set; } = 10_000;

    /// <summary>Refuses an image of <paramref name="bytes"/> bytes over <see cref="MaxImageBytes"/> with a 413 naming <paramref name="field"/>.</summary>
    /// <exception cref="SearchRequestException">The image is too large.</exception>
    public void CheckImageSize(long bytes, string field)
    {
        if (bytes > MaxImageBytes)
        {
            throw new SearchRequestException(field,
                $"the image is {bytes:N0} bytes, over the limit of {MaxImageBytes:N0} bytes (Search:MaxImageBytes)", StatusCodes.Status413PayloadTooLarge);
        }
    }
}
