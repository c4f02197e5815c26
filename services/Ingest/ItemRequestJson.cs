using System.Text.Json;
using System.Text.Json.Serialization;

namespace MS2GAN.Ingest;

/// <summary>
/// Reads <see cref="ItemRequest"/> JSON, turning what the serializer refuses into an error under the
/// name of the field at fault (the first segment of the JSON path), or "body" when the document itself
/// is broken.
/// </summary>
public static class ItemRequestJson
{
    /// <summary>Error key for a body that is not a JSON object at all.</summary>
    public const string BodyKey = "body";

    /// <summary>Web defaults (camelCase), and an unknown field is an error.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // A misspelt field ("lables") would otherwise be dropped without a word.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads one item; null with the errors by field when it cannot be read.</summary>
    public static ItemRequest? TryRead(ReadOnlySpan<byte> utf8Json, out Dictionary<string, string[]> errors)
    {
        try
        {
            var request = JsonSerializer.Deserialize<ItemRequest>(utf8Json, Options);
            return Checked(request, out errors);
        }
        catch (JsonException exception)
        {
            errors = ErrorsFor(exception);
            return null;
        }
    }

    /// <summary>Reads one item from a stream; null with the errors by field when it cannot be read.</summary>
    public static async Task<(ItemRequest? Request, Dictionary<string, string[]> Errors)> TryReadAsync(Stream utf8Json, CancellationToken cancellationToken)
    {
        try
        {
            var request = await JsonSerializer.DeserializeAsync<ItemRequest>(utf8Json, Options, cancellationToken).ConfigureAwait(false);
            var checkedRequest = Checked(request, out var errors);
            return (checkedRequest, errors);
        }
        catch (JsonException exception)
        {
            return (null, ErrorsFor(exception));
        }
    }

    /// <summary>Reads a JSON value given as a multipart form field into <typeparamref name="T"/>.</summary>
    public static T? TryReadField<T>(string field, string json, Dictionary<string, string[]> errors)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException exception)
        {
            errors[field] = [$"{field} is not valid JSON of the expected shape: {exception.Message}"];
            return default;
        }
    }

    private static ItemRequest? Checked(ItemRequest? request, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (request is null)
        {
            errors[BodyKey] = ["The body is JSON null; send an item object."];
        }
        return request;
    }

    private static Dictionary<string, string[]> ErrorsFor(JsonException exception) =>
        new(StringComparer.Ordinal) { [FieldOf(exception)] = [exception.Message] };

    /// <summary>"$.imageFeatures[2]" gives "imageFeatures"; "$['odd key']" gives "odd key"; "$" gives "body".</summary>
    internal static string FieldOf(JsonException exception)
    {
        // Syntax errors come from the reader, wrapped; the path then only says how far it got.
        if (exception.InnerException is JsonException)
        {
            return BodyKey;
        }
        var path = exception.Path;
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            // An unknown field is reported at the object, with its name in the message only.
            const string Marker = "The JSON property '";
            var message = exception.Message;
            var start = message.IndexOf(Marker, StringComparison.Ordinal);
            if (start >= 0)
            {
                var end = message.IndexOf('\'', start + Marker.Length);
                if (end > start + Marker.Length)
                {
                    return message[(start + Marker.Length)..end];
                }
            }
            return BodyKey;
        }
        var rest = path.AsSpan(1);
        if (rest.StartsWith("['"))
        {
            var close = rest.IndexOf("']");
            return close > 2 ? rest[2..close].ToString() : BodyKey;
        }
        if (rest.StartsWith("."))
        {
            rest = rest[1..];
            var end = rest.IndexOfAny('.', '[');
            var field = end < 0 ? rest : rest[..end];
            // A property named "" gives the path "$.": there is no field to name.
            return field.IsEmpty ? BodyKey : field.ToString();
        }
        return BodyKey;
    }
}
