namespace MS2GAN.Storage.Items;

/// <summary>
/// An item as the system of record keeps it: its content (labels, metadata, text, a media reference for
/// the image, features) and where it is in the pipeline.
/// </summary>
/// <remarks>
/// On upsert the store owns <see cref="State"/>, <see cref="FailureReason"/>, <see cref="ModelVersion"/>,
/// <see cref="AutoLabel"/>, <see cref="CreatedAt"/> and <see cref="UpdatedAt"/>: the values given are ignored.
/// </remarks>
public sealed record ItemRecord
{
    /// <summary>The item's id; see <see cref="ItemIds"/> for what is allowed.</summary>
    public required string Id { get; init; }

    /// <summary>Semantic labels (class names), used by training and as search filters.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Free string metadata, used as exact-match search filters.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The item's text, if it has one.</summary>
    public string? Text { get; init; }

    /// <summary>Reference of the image bytes in the media store, if the item has an image.</summary>
    public string? ImageMediaRef { get; init; }

    /// <summary>MIME type of the image (image/jpeg, image/png, image/webp).</summary>
    public string? ImageContentType { get; init; }

    /// <summary>
    /// Base image features: given by the client in feature mode, or computed once by the image backbone
    /// and cached here, so reindexing with a new model never decodes the image again.
    /// </summary>
    public float[]? ImageFeatures { get; init; }

    /// <summary>Base text features: given in feature mode, or computed once by the text backbone and cached.</summary>
    public float[]? TextFeatures { get; init; }

    /// <summary>Name of the feature space of <see cref="ImageFeatures"/> (backbone and dimension).</summary>
    public string? ImageFeatureSpace { get; init; }

    /// <summary>Name of the feature space of <see cref="TextFeatures"/> (backbone and dimension).</summary>
    public string? TextFeatureSpace { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the item's content; see <see cref="ItemContentHash"/>.</summary>
    public required string ContentHash { get; init; }

    /// <summary>Where the item is in the pipeline.</summary>
    public ItemState State { get; init; } = ItemState.Ingested;

    /// <summary>Why indexing failed, when <see cref="State"/> is <see cref="ItemState.Failed"/>.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The model version the item is indexed with, when <see cref="State"/> is <see cref="ItemState.Indexed"/>.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>
    /// The label <see cref="ModelVersion"/> predicts for an item ingested without labels, with its confidence; written by
    /// the store when the item is marked indexed (the value given on upsert is ignored).
    /// </summary>
    public AutoLabel? AutoLabel { get; init; }

    /// <summary>When the item was first recorded under this id.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the item's content or state last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
