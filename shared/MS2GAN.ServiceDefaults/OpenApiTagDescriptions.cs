namespace MS2GAN.ServiceDefaults;

/// <summary>
/// What each tag of the OpenAPI document groups, in a sentence: every service describes the tags of its own endpoints
/// (<see cref="OpenApiTagServiceCollectionExtensions.AddOpenApiTag"/>), and the document carries the description with the tag.
/// </summary>
public sealed class OpenApiTagDescriptions
{
    /// <summary>Tag name to description.</summary>
    public Dictionary<string, string> Descriptions { get; } = new(StringComparer.Ordinal);
}
