using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MS2GAN.Storage.Items.Elasticsearch;

/// <summary>
/// An item as an Elasticsearch document. Cached features are base64 of little-endian float32 bytes
/// (<see cref="FeatureBlob"/>) in <c>binary</c> fields: bit-exact (NaN payloads and -0 included, which JSON numbers
/// cannot carry), a third of the size of JSON numbers, and neither indexed nor in doc values.
/// </summary>
internal static class ItemDocuments
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Write(ItemRecord item, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", item.Id);
            writer.WriteStartArray("labels");
            foreach (var label in item.Labels)
            {
                writer.WriteStringValue(label);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("metadata");
            foreach (var (key, value) in item.Metadata)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteString("text", item.Text);
            writer.WriteString("image_media_ref", item.ImageMediaRef);
            writer.WriteString("image_content_type", item.ImageContentType);
            writer.WriteString("image_features", Features(item.ImageFeatures));
            writer.WriteString("text_features", Features(item.TextFeatures));
            writer.WriteString("image_feature_space", item.ImageFeatureSpace);
            writer.WriteString("text_feature_space", item.TextFeatureSpace);
            writer.WriteString("content_hash", item.ContentHash);
            writer.WriteString("state", ItemStateNames.Name(ItemState.Ingested));
            writer.WriteNull("failure_reason");
            writer.WriteNull("model_version");
            writer.WriteNull("auto_label");
            writer.WriteString("created_at", Time(createdAt));
            writer.WriteString("updated_at", Time(updatedAt));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static ItemRecord Read(string id, JsonNode source) => new()
    {
        Id = id,
        Labels = source["labels"] switch
        {
            JsonArray array => [.. array.Select(l => l!.GetValue<string>())],
            JsonValue single => [single.GetValue<string>()],
            _ => [],
        },
        Metadata = source["metadata"] is JsonObject fields
            ? fields.ToDictionary(f => f.Key, f => f.Value!.GetValue<string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal),
        Text = Text(source, "text"),
        ImageMediaRef = Text(source, "image_media_ref"),
        ImageContentType = Text(source, "image_content_type"),
        ImageFeatures = Features(Text(source, "image_features")),
        TextFeatures = Features(Text(source, "text_features")),
        ImageFeatureSpace = Text(source, "image_feature_space"),
        TextFeatureSpace = Text(source, "text_feature_space"),
        ContentHash = Text(source, "content_hash") ?? throw new InvalidDataException($"Item '{id}' has no content_hash in Elasticsearch."),
        State = ItemStateNames.Parse(Text(source, "state") ?? throw new InvalidDataException($"Item '{id}' has no state in Elasticsearch.")),
        FailureReason = Text(source, "failure_reason"),
        ModelVersion = Text(source, "model_version"),
        AutoLabel = Vectors.Elasticsearch.ElasticsearchDocuments.ReadAutoLabel(source),
        CreatedAt = ParseTime(Text(source, "created_at"), id),
        UpdatedAt = ParseTime(Text(source, "updated_at"), id),
    };

    public static string? Features(float[]? values) => values is null ? null : Convert.ToBase64String(FeatureBlob.ToBytes(values));

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string? text, string id) =>
        text is null
            ? throw new InvalidDataException($"Item '{id}' has no timestamp in Elasticsearch.")
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static float[]? Features(string? base64) => base64 is null ? null : FeatureBlob.FromBytes(Convert.FromBase64String(base64));

    private static string? Text(JsonNode source, string field) => source[field] is JsonValue value ? value.GetValue<string>() : null;
}
