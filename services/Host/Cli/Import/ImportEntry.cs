using System.Text.Json;
using System.Text.Json.Serialization;
using MS2GAN.Ingest;

namespace MS2GAN.Host.Cli.Import;

/// <summary>
/// One item of a bulk import as its source describes it: the item (its id always set, stable across runs) and the
/// image file it names, or why it cannot be sent.
/// </summary>
/// <param name="Where">Where it comes from, for messages: <c>captions.tsv line 12</c>, or an image's path in a folder.</param>
/// <param name="Item">The item without its image bytes; null when <paramref name="Problem"/> says why there is none.</param>
/// <param name="ImagePath">The full path of its image file, read when the item is sent.</param>
/// <param name="Problem">Why it is refused before it is sent (a line that does not parse, a missing image file).</param>
public sealed record ImportEntry(string Where, ItemRequest? Item, string? ImagePath, string? Problem)
{
    private static readonly JsonSerializerOptions LineJson = new(ItemRequestJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>An entry that is refused before it is sent.</summary>
    public static ImportEntry Refused(string where, string problem) => new(where, null, null, problem);

    /// <summary>The item's id.</summary>
    public string? Id => Item?.Id;

    /// <summary>The item as one NDJSON line of <c>POST /v1/items/batch</c> (without the newline), its image read now.</summary>
    /// <exception cref="IOException">The image file cannot be read.</exception>
    public byte[] ToNdjsonLine()
    {
        var item = Item ?? throw new InvalidOperationException($"{Where}: {Problem}");
        if (ImagePath is not null)
        {
            item = item with { Image = Convert.ToBase64String(File.ReadAllBytes(ImagePath)) };
        }
        return JsonSerializer.SerializeToUtf8Bytes(item, LineJson);
    }
}
