using MS2GAN.Storage;
using MS2GAN.Storage.Items;

namespace MS2GAN.Pipeline;

/// <summary>
/// An item as the HTTP APIs show it (<c>GET /v1/items/{id}</c> of the ingest service, <c>GET /v1/search/items/{id}</c> of
/// the search service and its web page): what it carries and where it is in the pipeline. Its media come from
/// <c>GET /v1/items/{id}/media</c>.
/// </summary>
/// <param name="Id">The item's id.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="Metadata">Its metadata.</param>
/// <param name="Text">Its text, when it carries one.</param>
/// <param name="State">"ingested" (waiting for the encoder), "indexed" or "failed".</param>
/// <param name="FailureReason">Why indexing failed, when the state is "failed".</param>
/// <param name="ModelVersion">The model version it was indexed with, when indexed.</param>
/// <param name="AutoLabel">The label the active model predicts for it, with its confidence, when it was ingested without labels.</param>
/// <param name="HasImage">It carries an image.</param>
/// <param name="ImageContentType">The content type of its image; null when it has none.</param>
/// <param name="HasText">It carries text.</param>
/// <param name="HasImageFeatures">It carries image features (given, or computed and cached).</param>
/// <param name="HasTextFeatures">It carries text features (given, or computed and cached).</param>
/// <param name="CreatedAt">When it was first recorded under this id.</param>
/// <param name="UpdatedAt">When its content or state last changed.</param>
public sealed record ItemView(
    string Id,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, string> Metadata,
    string? Text,
    string State,
    string? FailureReason,
    string? ModelVersion,
    AutoLabel? AutoLabel,
    bool HasImage,
    string? ImageContentType,
    bool HasText,
    bool HasImageFeatures,
    bool HasTextFeatures,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The view of a stored item.</summary>
    public static ItemView From(ItemRecord item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new ItemView(
            item.Id,
            item.Labels,
            item.Metadata,
            item.Text,
            ItemStateNames.Name(item.State),
            item.FailureReason,
            item.ModelVersion,
            item.AutoLabel,
            HasImage: item.ImageMediaRef is not null,
            ImageContentType: item.ImageMediaRef is null ? null : item.ImageContentType ?? "application/octet-stream",
            HasText: item.Text is not null,
            HasImageFeatures: item.ImageFeatures is not null,
            HasTextFeatures: item.TextFeatures is not null,
            item.CreatedAt,
            item.UpdatedAt);
    }
}
