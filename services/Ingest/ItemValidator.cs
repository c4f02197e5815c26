using System.Buffers.Text;
using Microsoft.Extensions.Options;
using MS2GAN.Features.Backbones;
using MS2GAN.Model.Artifacts;
using MS2GAN.Pipeline;
using MS2GAN.Storage.Items;

namespace MS2GAN.Ingest;

/// <summary>
/// Checks an <see cref="ItemRequest"/> against the configured limits and the rules of the item store, and
/// decodes its image. Every problem is reported under the name of the JSON field it concerns, so a client
/// can fix all of them at once.
/// </summary>
internal sealed class ItemValidator(IOptions<IngestOptions> options, ActiveFeatureSpace activeSpace)
{
    /// <summary>Error key for problems of the item as a whole (no field to blame).</summary>
    public const string ItemKey = "item";

    private const int MaxLabels = 1_000;
    private const int MaxLabelLength = 256;
    private const int MaxMetadataEntries = 256;
    private const int MaxMetadataKeyLength = 256;
    private const int MaxMetadataValueLength = 4_096;

    private readonly IngestOptions _options = options.Value;

    /// <summary>
    /// Validates <paramref name="request"/>. <paramref name="uploadedImage"/> carries image bytes that came
    /// as a multipart file instead of the base64 <see cref="ItemRequest.Image"/> field.
    /// </summary>
    /// <returns>The item, or null with <paramref name="errors"/> naming each field that was refused.</returns>
    public ValidatedItem? Validate(ItemRequest request, ReadOnlyMemory<byte>? uploadedImage, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!problems.TryGetValue(field, out var list))
            {
                problems[field] = list = [];
            }
            list.Add(message);
        }

        var id = request.Id;
        if (id is null)
        {
            id = ItemIds.New();
        }
        else if (!ItemIds.TryValidate(id, out var idError))
        {
            Add("id", idError!);
        }

        var text = request.Text;
        if (text is not null)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                Add("text", "text must not be empty or only white space; leave it out when the item has none.");
            }
            else if (text.Length > _options.MaxTextLength)
            {
                Add("text", $"text is {text.Length} characters long; the limit is {_options.MaxTextLength}.");
            }
        }

        var image = uploadedImage ?? DecodeBase64Image(request.Image, Add);
        string? imageContentType = null;
        if (image is { } bytes && !problems.ContainsKey("image"))
        {
            if (bytes.Length > _options.MaxImageBytes)
            {
                Add("image", $"image is {bytes.Length} bytes; the limit is {_options.MaxImageBytes} bytes.");
            }
            else if (!ImageProbe.TryProbe(bytes.Span, _options.MaxImagePixels, out var contentType, out var imageError))
            {
                Add("image", $"image: {imageError}.");
            }
            else
            {
                imageContentType = contentType;
            }
        }

        var space = request.ImageFeatures is null && request.TextFeatures is null ? null : activeSpace.Current;
        CheckFeatures("imageFeatures", "image", request.ImageFeatures, space, Add);
        CheckFeatures("textFeatures", "text", request.TextFeatures, space, Add);
        var labels = CheckLabels(request.Labels, Add);
        var metadata = CheckMetadata(request.Metadata, Add);

        if (request.Text is null && request.Image is null && uploadedImage is null && request.ImageFeatures is null && request.TextFeatures is null)
        {
            Add(ItemKey, "An item needs at least one of text, image, imageFeatures or textFeatures.");
        }

        errors = problems.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
        if (errors.Count > 0)
        {
            return null;
        }
        return new ValidatedItem(id, text, image, imageContentType, request.ImageFeatures, request.TextFeatures, labels, metadata);
    }

    private ReadOnlyMemory<byte>? DecodeBase64Image(string? base64, Action<string, string> add)
    {
        if (base64 is null)
        {
            return null;
        }
        var payload = base64.AsSpan().Trim();
        // Accept data URLs ("data:image/png;base64,...") as browsers produce them.
        if (payload.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = payload.IndexOf(',');
            if (comma < 0 || !payload[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                add("image", "image is a data URL without base64 content; send the bytes as base64.");
                return null;
            }
            payload = payload[(comma + 1)..];
        }
        if (payload.IsEmpty)
        {
            add("image", "image is empty; leave it out when the item has none.");
            return null;
        }
        var maxDecoded = Base64.GetMaxDecodedFromUtf8Length(payload.Length);
        // Padding makes the estimate up to 2 bytes high; refuse only what is certainly too big.
        if (maxDecoded - 2 > _options.MaxImageBytes)
        {
            add("image", $"image is about {maxDecoded} bytes; the limit is {_options.MaxImageBytes} bytes.");
            return null;
        }
        var buffer = new byte[maxDecoded];
        if (!Convert.TryFromBase64Chars(payload, buffer, out var written))
        {
            add("image", "image is not valid base64.");
            return null;
        }
        return buffer.AsMemory(0, written);
    }

    // Given features must fit the active model (FeatureSpace.Problem, the rule search and the encoder apply too); while no
    // model is active only their values can be checked.
    private static void CheckFeatures(string field, string modality, float[]? features, FeatureSpace? space, Action<string, string> add)
    {
        if (features is null)
        {
            return;
        }
        if (features.Length == 0)
        {
            add(field, $"{field} is empty; leave it out when the item has none.");
            return;
        }
        if ((space is null ? FeatureSpace.NonFinite(modality, features) : space.Problem(modality, features)) is { } problem)
        {
            add(field, $"{field}: {problem}.");
        }
    }

    private static IReadOnlyList<string> CheckLabels(IReadOnlyList<string>? labels, Action<string, string> add)
    {
        if (labels is null)
        {
            return [];
        }
        if (labels.Count > MaxLabels)
        {
            add("labels", $"labels has {labels.Count} entries; the limit is {MaxLabels}.");
            return [];
        }
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(labels[i]))
            {
                add("labels", $"labels[{i}] is empty.");
            }
            else if (labels[i].Length > MaxLabelLength)
            {
                add("labels", $"labels[{i}] is {labels[i].Length} characters long; the limit is {MaxLabelLength}.");
            }
        }
        return labels;
    }

    private static IReadOnlyDictionary<string, string> CheckMetadata(IReadOnlyDictionary<string, string>? metadata, Action<string, string> add)
    {
        if (metadata is null)
        {
            return new Dictionary<string, string>();
        }
        if (metadata.Count > MaxMetadataEntries)
        {
            add("metadata", $"metadata has {metadata.Count} entries; the limit is {MaxMetadataEntries}.");
            return metadata;
        }
        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > MaxMetadataKeyLength)
            {
                add("metadata", $"metadata keys must be 1 to {MaxMetadataKeyLength} characters and not only white space; '{Shorten(key)}' is not.");
            }
            if (value is null)
            {
                add("metadata", $"metadata['{Shorten(key)}'] is null; values must be strings.");
            }
            else if (value.Length > MaxMetadataValueLength)
            {
                add("metadata", $"metadata['{Shorten(key)}'] is {value.Length} characters long; the limit is {MaxMetadataValueLength}.");
            }
        }
        return metadata;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
