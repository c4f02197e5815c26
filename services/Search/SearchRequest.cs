namespace MS2GAN.Search;

/// <summary>Body of POST /v1/search.</summary>
public sealed record SearchRequest
{
    /// <summary>What to search with: exactly one of text, image, itemId (with modality) or features (with modality).</summary>
    public SearchQuery? Query { get; init; }

    /// <summary>Which items to return: image, text or any.</summary>
    public string Target { get; init; } = "any";

    /// <summary>How many hits (1..1000).</summary>
    public int K { get; init; } = 10;

    /// <summary>Hits to skip, for the next page.</summary>
    public int Offset { get; init; }

    /// <summary>Optional filters, applied inside the search.</summary>
    public SearchFilter? Filter { get; init; }

    /// <summary>Optional weights of specific and shared similarity; the model's defaults when absent.</summary>
    public SearchWeights? Weights { get; init; }
}

/// <summary>The query of a search.</summary>
public sealed record SearchQuery(string? Text, string? Image, string? ItemId, float[]? Features, string? Modality);

/// <summary>
/// Filters: any of the labels, exact metadata matches, and the auto-label (the label the active model predicted for an item
/// ingested without labels) at or above a minimum confidence (0 to 1; needs autoLabel).
/// </summary>
public sealed record SearchFilter(
    IReadOnlyList<string>? Labels, IReadOnlyDictionary<string, string>? Metadata, string? AutoLabel = null, double? MinConfidence = null);

/// <summary>Query-time weights.</summary>
public sealed record SearchWeights(double Specific, double Shared);
