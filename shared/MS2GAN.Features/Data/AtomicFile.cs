namespace MS2GAN.Features.Data;

/// <summary>Writes a file so that readers see either the old file or the complete new one.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes to a temporary file in the same folder, flushes it to disk, then renames it over
    /// <paramref name="path"/>; a crash leaves at most a stray temporary file, never a half-written target.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no folder", nameof(path));
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
