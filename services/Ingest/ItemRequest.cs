using System.Text.Json.Serialization;

namespace MS2GAN.Ingest;

/// <summary>
/// One item as a client sends it (the JSON body of <c>POST /v1/items</c> and each line of a batch). It needs
/// at least one of <see cref="Text"/>, <see cref="Image"/>, <see cref="ImageFeatures"/> or <see cref="TextFeatures"/>.
/// </summary>
public sealed record ItemRequest
{
    /// <summary>The item's id; generated when absent. Ingesting the same id again replaces (or, with equal content, keeps) the item.</summary>
    public string? Id { get; init; }

    /// <summary>The item's text.</summary>
    public string? Text { get; init; }

    /// <summary>The image bytes (JPEG, PNG or WebP) as a base64 string.</summary>
    public string? Image { get; init; }

    /// <summary>Pre-extracted image features, for models trained in feature mode.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public float[]? ImageFeatures { get; init; }

    /// <summary>Pre-extracted text features, for models trained in feature mode.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public float[]? TextFeatures { get; init; }

    /// <summary>Semantic labels; strings or integers in JSON, kept as strings.</summary>
    [JsonConverter(typeof(LabelListConverter))]
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>String metadata, used as exact-match search filters.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
