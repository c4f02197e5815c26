namespace MS2GAN.Storage.Media;

/// <summary>Media was refused because it is larger than the store's limit; nothing was stored.</summary>
/// <param name="limitBytes">The store's limit in bytes.</param>
public sealed class MediaTooLargeException(long limitBytes)
    : Exception($"The media is larger than the limit of {limitBytes} bytes ({limitBytes / (1024.0 * 1024.0):0.##} MiB).")
{
    /// <summary>The store's limit in bytes.</summary>
    public long LimitBytes { get; } = limitBytes;
}
