using MS2GAN.Storage.Items;

namespace MS2GAN.Search;

/// <summary>An item as the web page's item view shows it (GET /v1/search/items/{id}); its media come from GET /v1/items/{id}/media.</summary>
/// <param name="Id">The item's id.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="Metadata">Its metadata.</param>
/// <param name="State">"ingested" (waiting for the encoder), "indexed" or "failed".</param>
/// <param name="FailureReason">Why indexing failed, when the state is "failed".</param>
/// <param name="ModelVersion">The model version it is indexed with, when indexed.</param>
/// <param name="ImageContentType">The content type of its image; null when it has none.</param>
/// <param name="HasText">It carries text.</param>
/// <param name="CreatedAt">When it was first recorded under this id.</param>
/// <param name="UpdatedAt">When its content or state last changed.</param>
public sealed record ItemView(
    string Id,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, string> Metadata,
    string State,
    string? FailureReason,
    string? ModelVersion,
    string? ImageContentType,
    bool HasText,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The view of a stored item.</summary>
    public static ItemView From(ItemRecord item) => new(
        item.Id, item.Labels, item.Metadata, ItemStateNames.Name(item.State), item.FailureReason, item.ModelVersion,
        item.ImageMediaRef is null ? null : item.ImageContentType ?? "application/octet-stream", item.Text is not null, item.CreatedAt, item.UpdatedAt);
}
