namespace MS2GAN.Ingest;

/// <summary>Limits of the ingest service (configuration section "Ingest"), validated on start.</summary>
public sealed class IngestOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Ingest";

    /// <summary>The most items (non-blank lines) one NDJSON batch may hold.</summary>
    public int MaxBatchLines { get; set; } = 10_000;

    /// <summary>The longest text accepted, in characters (UTF-16 code units).</summary>
    public int MaxTextLength { get; set; } = 10_000;

    /// <summary>The largest image accepted, in bytes (after base64 decoding).</summary>
    public long MaxImageBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>The most pixels (width x height) an image may have.</summary>
    public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>
    /// The largest body of a single-item request, and the longest line of a batch, in bytes. The default
    /// leaves room for the base64 form (4/3) of an image of <see cref="MaxImageBytes"/> plus text and features.
    /// </summary>
    public long MaxRequestBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>The largest NDJSON batch body, in bytes; a Content-Length above it is refused before anything is read.</summary>
    public long MaxBatchBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>How many batch items are recorded (one store transaction) at a time.</summary>
    public int BatchChunkSize { get; set; } = 500;

    /// <summary>Whether reading an item (GET) needs the API key as writes do.</summary>
    public bool RequireApiKeyForReads { get; set; }
}
