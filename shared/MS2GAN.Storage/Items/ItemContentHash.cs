using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MS2GAN.Storage.Items;

/// <summary>
/// The content hash of an item: SHA-256 over a canonical encoding of its labels, metadata, text, image
/// bytes (through their own SHA-256) and given features. Equal content gives an equal hash, which is what
/// makes ingest idempotent.
/// </summary>
/// <remarks>
/// Labels are hashed as a sorted list and metadata sorted by key (ordinal), so their order does not
/// count. Every field is tagged and length-prefixed so that no two different items encode alike (text
/// "ab" with no labels is not label "a" with text "b"). Features are hashed bit-exactly. Features cached
/// later by the encoder are not content and must not be passed here.
/// </remarks>
public static class ItemContentHash
{
    /// <summary>SHA-256 of <paramref name="bytes"/> as lower-case hex, for the image argument of <see cref="Compute"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Computes the content hash (lower-case hex).</summary>
    /// <param name="labels">The item's labels.</param>
    /// <param name="metadata">The item's metadata.</param>
    /// <param name="text">The item's text, if any.</param>
    /// <param name="imageSha256">SHA-256 (hex) of the image bytes, if the item has an image (<see cref="Sha256Hex"/>).</param>
    /// <param name="imageFeatures">Image features given by the client, if any (a null array hashes as empty).</param>
    /// <param name="textFeatures">Text features given by the client, if any (a null array hashes as empty).</param>
    public static string Compute(
        IReadOnlyList<string> labels,
        IReadOnlyDictionary<string, string> metadata,
        string? text,
        string? imageSha256,
        ReadOnlySpan<float> imageFeatures,
        ReadOnlySpan<float> textFeatures)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(metadata);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendTag(hash, "ms2gan-item-v1");

        var sortedLabels = labels.Order(StringComparer.Ordinal).ToArray();
        AppendTag(hash, "labels");
        AppendInt(hash, sortedLabels.Length);
        foreach (var label in sortedLabels)
        {
            AppendString(hash, label);
        }

        AppendTag(hash, "metadata");
        AppendInt(hash, metadata.Count);
        foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            AppendString(hash, key);
            AppendString(hash, value);
        }

        AppendTag(hash, "text");
        AppendOptionalString(hash, text);
        AppendTag(hash, "image");
        AppendOptionalString(hash, imageSha256?.ToLowerInvariant());
        AppendTag(hash, "image-features");
        AppendFloats(hash, imageFeatures);
        AppendTag(hash, "text-features");
        AppendFloats(hash, textFeatures);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendTag(IncrementalHash hash, string tag) => AppendString(hash, tag);

    private static void AppendOptionalString(IncrementalHash hash, string? value)
    {
        if (value is null)
        {
            AppendInt(hash, -1);
        }
        else
        {
            AppendString(hash, value);
        }
    }

    private static void AppendString(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendInt(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void AppendInt(IncrementalHash hash, int value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
        hash.AppendData(buffer);
    }

    private static void AppendFloats(IncrementalHash hash, ReadOnlySpan<float> values)
    {
        AppendInt(hash, values.Length);
        hash.AppendData(FeatureBlob.ToBytes(values));
    }
}
