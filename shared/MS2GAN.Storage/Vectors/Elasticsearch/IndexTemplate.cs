using System.Text.Json.Nodes;

namespace MS2GAN.Storage.Vectors.Elasticsearch;

/// <summary>
/// The vector index template, <c>infra/elasticsearch/vector-index-template.json</c>, embedded in this assembly at
/// build time so the file in the repository is the only copy and a deployment needs nothing on disk.
/// </summary>
internal static class IndexTemplate
{
    public const string ResourceName = "MS2GAN.Storage.Elasticsearch.vector-index-template.json";

    /// <summary>The template body with <c>index_patterns</c> set to <c>{prefix}*</c>.</summary>
    public static JsonObject Body(string indexPrefix)
    {
        using var stream = typeof(IndexTemplate).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing from {typeof(IndexTemplate).Assembly.GetName().Name}.");
        var body = JsonNode.Parse(stream)?.AsObject() ?? throw new InvalidDataException($"'{ResourceName}' is empty.");
        body["index_patterns"] = new JsonArray(indexPrefix + "*");
        return body;
    }
}
