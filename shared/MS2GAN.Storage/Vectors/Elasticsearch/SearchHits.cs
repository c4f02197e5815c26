using System.Text.Json.Nodes;

namespace MS2GAN.Storage.Vectors.Elasticsearch;

/// <summary>Reads the hits of a <see cref="SearchBody"/> search response.</summary>
internal static class SearchHits
{
    /// <summary>The hits, best first, with <paramref name="offset"/> (added to keep script scores non-negative) taken off.</summary>
    public static IReadOnlyList<VectorHit> Parse(JsonNode? response, double offset)
    {
        var hits = response?["hits"]?["hits"] as JsonArray
            ?? throw new InvalidDataException("Elasticsearch search response has no hits.hits array.");
        var result = new List<VectorHit>(hits.Count);
        foreach (var hit in hits)
        {
            var source = hit?["_source"] ?? throw new InvalidDataException("Elasticsearch hit without _source.");
            var score = hit["_score"]?.GetValue<double>()
                ?? (hit["sort"] as JsonArray)?[0]?.GetValue<double>()
                ?? throw new InvalidDataException("Elasticsearch hit without a score.");
            var labels = source["labels"] switch
            {
                JsonArray array => array.Select(l => l!.GetValue<string>()).ToArray(),
                JsonValue single => [single.GetValue<string>()],
                _ => [],
            };
            var metadata = source["metadata"] is JsonObject fields
                ? fields.ToDictionary(f => f.Key, f => f.Value!.GetValue<string>(), StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            result.Add(new VectorHit(
                source["item_id"]!.GetValue<string>(), source["modality"]!.GetValue<string>(), score - offset, labels, metadata,
                ElasticsearchDocuments.ReadAutoLabel(source)));
        }

        return result;
    }
}
