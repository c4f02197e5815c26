namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>Writes a file through a temporary sibling, fsyncs it and renames it into place.</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));
}
