using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MS2GAN.Ingest;
using MS2GAN.Storage.Items;

namespace MS2GAN.Host.Cli.Import;

/// <summary>
/// Ids for items a manifest gives none: the same file or content gives the same id in every run, so a resumed or
/// repeated import updates items instead of adding them again.
/// </summary>
public static class StableIds
{
    private const int HashLength = 16;

    /// <summary>
    /// The id of an image at <paramref name="relativePath"/>: the path with '/' as ':' (<c>photos/cat 1.jpg</c> gives
    /// <c>photos:cat_1.jpg-</c> and a hash of the path when characters had to be replaced or the path is too long).
    /// </summary>
    public static string FromPath(string relativePath)
    {
        var normalized = relativePath.Replace('\\', '/');
        var id = string.Concat(normalized.Select(c => c == '/' ? ':' : c));
        if (ItemIds.IsValid(id))
        {
            return id;
        }
        var safe = string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-' ? c : '_')).TrimStart('.');
        var hash = Hash(Encoding.UTF8.GetBytes(normalized));
        return $"{safe[..Math.Min(safe.Length, ItemIds.MaxLength - HashLength - 1)]}-{hash}";
    }

    /// <summary>The id of an item without an image or a given id: a hash of its content.</summary>
    public static string FromContent(ItemRequest item) => "sha-" + Hash(JsonSerializer.SerializeToUtf8Bytes(item with { Id = null }, ItemRequestJson.Options));

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..HashLength];
}
