using System.Text.Json.Nodes;

namespace MS2GAN.Storage.Elasticsearch;

/// <summary>
/// The index templates of infra/elasticsearch, embedded in this assembly at build time so the files in the repository
/// are the only copies and a deployment needs nothing on disk.
/// </summary>
internal static class IndexTemplate
{
    /// <summary>infra/elasticsearch/vector-index-template.json.</summary>
    public const string Vectors = "MS2GAN.Storage.Elasticsearch.vector-index-template.json";

    /// <summary>infra/elasticsearch/items-index-template.json.</summary>
    public const string Items = "MS2GAN.Storage.Elasticsearch.items-index-template.json";

    /// <summary>The template body of <paramref name="resourceName"/> with <c>index_patterns</c> set to <paramref name="pattern"/>.</summary>
    public static JsonObject Body(string resourceName, string pattern)
    {
        using var stream = typeof(IndexTemplate).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' is missing from {typeof(IndexTemplate).Assembly.GetName().Name}.");
        var body = JsonNode.Parse(stream)?.AsObject() ?? throw new InvalidDataException($"'{resourceName}' is empty.");
        body["index_patterns"] = new JsonArray(pattern);
        return body;
    }
}
