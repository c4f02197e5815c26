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
            WriteVector(writer, "specific", specific);
            WriteVector(writer, "shared", shared);
            writer.WriteEndObject();
        }

        return new BulkOperation(Id(record.ItemId, record.Modality), Encoding.UTF8.GetString(buffer.ToArray()));
    }

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
