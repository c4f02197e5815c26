using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MS2GAN.Storage.Items;

namespace MS2GAN.Storage.Media;

/// <summary>
/// Media in a folder. A file's name is the SHA-256 of the item id and the content's SHA-256, so no id
/// can name a path outside the folder, and two items with equal bytes still own separate files (deleting
/// one never takes the other's). Files sit in 2-character shard folders, e.g. <c>3f/3f9a…c2.png</c>; that
/// relative path is the media reference. Content is written to a temporary file in the same volume and
/// renamed into place, so a reader sees all of it or nothing.
/// </summary>
public sealed partial class FileMediaStore : IMediaStore
{
    private const string TemporaryFolderName = ".tmp";
    private const int CopyBufferBytes = 81_920;
    // Older temporary files are leftovers of a crash; younger ones may belong to a put in progress in
    // another process sharing the folder.
    private static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromHours(1);

    private readonly string _root;
    private readonly string _temporaryFolder;
    private readonly long _maxBytes;

    /// <summary>Creates the store, creating its folder if needed and clearing stale temporary files.</summary>
    /// <exception cref="ArgumentException">No root path, or a size limit that is not positive.</exception>
    public FileMediaStore(FileMediaStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.RootPath))
        {
            throw new ArgumentException("The media store needs a root folder (RootPath).", nameof(options));
        }
        if (options.MaxBytes <= 0)
        {
            throw new ArgumentException($"The media size limit (MaxBytes) must be positive; it is {options.MaxBytes}.", nameof(options));
        }
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.RootPath)) + Path.DirectorySeparatorChar;
        _temporaryFolder = Path.Combine(_root, TemporaryFolderName);
        _maxBytes = options.MaxBytes;
        Directory.CreateDirectory(_temporaryFolder);
        DeleteStaleTemporaryFiles();
    }

    /// <summary>The full path of the media folder, ending with a separator.</summary>
    public string RootPath => _root;

    /// <inheritdoc />
    public async Task<string> PutAsync(string itemId, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ItemIds.Validate(itemId, nameof(itemId));
        ArgumentNullException.ThrowIfNull(content);
        var extension = ExtensionFor(contentType);
        if (content.CanSeek && content.Length - content.Position > _maxBytes)
        {
            throw new MediaTooLargeException(_maxBytes);
        }

        Directory.CreateDirectory(_temporaryFolder);
        var temporary = Path.Combine(_temporaryFolder, $"{Guid.NewGuid():N}.part");
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            using var contentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferBytes, FileOptions.Asynchronous))
            {
                long total = 0;
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferBytes), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > _maxBytes)
                    {
                        throw new MediaTooLargeException(_maxBytes);
                    }
                    contentHash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                if (total == 0)
                {
                    throw new ArgumentException("The media content is empty.", nameof(content));
                }
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            var mediaRef = ReferenceFor(itemId, contentHash.GetHashAndReset(), extension);
            var target = Resolve(mediaRef);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // Equal names mean equal bytes, so replacing a file that is already there changes nothing a
            // reader could notice: rename is atomic.
            File.Move(temporary, target, overwrite: true);
            return mediaRef;
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public async Task<string> PutAsync(string itemId, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        if (content.Length > _maxBytes)
        {
            ItemIds.Validate(itemId, nameof(itemId));
            throw new MediaTooLargeException(_maxBytes);
        }
        await using var stream = new ReadOnlyMemoryStream(content);
        return await PutAsync(itemId, stream, contentType, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string mediaRef, CancellationToken cancellationToken = default)
    {
        var path = Resolve(mediaRef);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // FileShare.Delete: deleting media while someone reads it must not fail either side.
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
                CopyBufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string mediaRef, CancellationToken cancellationToken = default)
    {
        var path = Resolve(mediaRef);
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }
        try
        {
            File.Delete(path);
            return Task.FromResult(true);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult(false);
        }
    }

    /// <summary>Whether <paramref name="mediaRef"/> has the form of a reference this store makes.</summary>
    public static bool IsValidReference(string? mediaRef) =>
        mediaRef is not null && ReferencePattern().IsMatch(mediaRef) && string.CompareOrdinal(mediaRef, 0, mediaRef, 3, 2) == 0;

    private static string ReferenceFor(string itemId, byte[] contentHash, string extension)
    {
        var idBytes = Encoding.UTF8.GetBytes(itemId);
        var input = new byte[idBytes.Length + 1 + contentHash.Length];
        idBytes.CopyTo(input, 0);
        contentHash.CopyTo(input, idBytes.Length + 1);
        var name = Convert.ToHexStringLower(SHA256.HashData(input));
        return $"{name[..2]}/{name}{extension}";
    }

    /// <summary>The full path of a reference, refusing anything that is not one of ours or lands outside the root.</summary>
    private string Resolve(string mediaRef)
    {
        ArgumentNullException.ThrowIfNull(mediaRef);
        if (!IsValidReference(mediaRef))
        {
            throw new ArgumentException(
                $"'{mediaRef}' is not a media reference: expected two hex digits, '/', 64 hex digits and an optional extension, e.g. '3f/3f…c2.png'.",
                nameof(mediaRef));
        }
        var path = Path.GetFullPath(Path.Combine(_root, mediaRef));
        if (!path.StartsWith(_root, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The media reference '{mediaRef}' leads outside the media folder.", nameof(mediaRef));
        }
        return path;
    }

    private static string ExtensionFor(string contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        var mediaType = contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
        if (!ContentTypePattern().IsMatch(mediaType))
        {
            throw new ArgumentException($"'{contentType}' is not a content type such as 'image/png'.", nameof(contentType));
        }
        return mediaType switch
        {
            "image/jpeg" or "image/jpg" or "image/pjpeg" => ".jpg",
            "image/png" => ".png",
            "image/webp" => ".webp",
            "image/gif" => ".gif",
            "image/bmp" => ".bmp",
            _ => ".bin",
        };
    }

    private void DeleteStaleTemporaryFiles()
    {
        foreach (var file in new DirectoryInfo(_temporaryFolder).EnumerateFiles("*.part"))
        {
            if (DateTime.UtcNow - file.LastWriteTimeUtc > StaleTemporaryAge)
            {
                TryDelete(file.FullName);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file is cleared at the next start.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex("^[0-9a-f]{2}/[0-9a-f]{64}(\\.[a-z0-9]{1,8})?$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$", RegexOptions.CultureInvariant)]
    private static partial Regex ContentTypePattern();
}
