using System.Text;
using System.Text.Json;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Vectors.Elasticsearch;

/// <summary>The document of one vector record and its id, <c>{itemId}:{modality}</c>.</summary>
internal static class ElasticsearchDocuments
{
    public static string Id(string itemId, string modality) => $"{itemId}:{modality}";

    /// <summary>Validates and normalises a record like the embedded store does; throws <see cref="ArgumentException"/> naming the item.</summary>
    public static BulkOperation Prepare(VectorRecord record, IndexDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrEmpty(record.ItemId))
        {
            throw new ArgumentException("A vector record needs an ItemId.");
        }

        if (VectorRecordValidation.ModalityCode(record.Modality) == 0)
        {
            throw new ArgumentException($"Item '{record.ItemId}': modality must be 'image' or 'text', not '{record.Modality}'.");
        }

        var specific = VectorRecordValidation.Normalised(record.Specific, definition.SpecificDim, "specific", record.ItemId);
        var shared = VectorRecordValidation.Normalised(record.Shared, definition.SharedDim, "shared", record.ItemId);
        var labels = record.Labels ?? [];
        if (labels.Any(l => l is null))
        {
            throw new ArgumentException($"Item '{record.ItemId}': labels must not be null.");
        }

        VectorRecordValidation.ValidateAutoLabel(record.AutoLabel, record.ItemId);

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("item_id", record.ItemId);
            writer.WriteString("modality", record.Modality);
            writer.WriteStartArray("labels");
            foreach (var label in labels)
            {
                writer.WriteStringValue(label);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("metadata");
            foreach (var (key, value) in record.Metadata ?? new Dictionary<string, string>())
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            if (record.AutoLabel is { } autoLabel)
            {
                writer.WriteStartObject("auto_label");
                writer.WriteString("label", autoLabel.Label);
                writer.WriteNumber("confidence", autoLabel.Confidence);
                writer.WriteEndObject();
            }

            WriteVector(writer, "specific", specific);
            WriteVector(writer, "shared", shared);
            writer.WriteEndObject();
        }

        return new BulkOperation(Id(record.ItemId, record.Modality), Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>The auto-label of a document's <c>_source</c>, null when it has none.</summary>
    public static AutoLabel? ReadAutoLabel(System.Text.Json.Nodes.JsonNode? source) =>
        source?["auto_label"] is System.Text.Json.Nodes.JsonObject autoLabel && autoLabel["label"] is { } label
            ? new AutoLabel(label.GetValue<string>(), autoLabel["confidence"]?.GetValue<double>() ?? 0)
            : null;

    public static void WriteVector(Utf8JsonWriter writer, string name, float[] vector)
    {
        writer.WriteStartArray(name);
        foreach (var v in vector)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }
}
