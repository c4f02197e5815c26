using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MS2GAN.Ingest;

/// <summary>Reads labels given as a JSON array of strings and/or integers (class names or class numbers) as strings.</summary>
internal sealed class LabelListConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("labels must be an array of strings or integers.");
        }
        var labels = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            labels.Add(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number when reader.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
                _ => throw new JsonException($"labels[{labels.Count}] must be a string or an integer; found {Describe(ref reader)}."),
            });
        }
        return labels;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var label in value)
        {
            writer.WriteStringValue(label);
        }
        writer.WriteEndArray();
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => "a number that is not an integer",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        var other => other.ToString(),
    };
}
