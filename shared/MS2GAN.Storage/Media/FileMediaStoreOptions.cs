namespace MS2GAN.Storage.Media;

/// <summary>Settings of <see cref="FileMediaStore"/>.</summary>
public sealed class FileMediaStoreOptions
{
    /// <summary>The default size limit: 20 MiB.</summary>
    public const long DefaultMaxBytes = 20L * 1024 * 1024;

    /// <summary>The folder that holds the media (created if missing); a shared volume when services run apart.</summary>
    public string RootPath { get; set; } = "";

    /// <summary>The largest media accepted, in bytes.</summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;
}
