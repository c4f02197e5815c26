namespace MS2GAN.Ingest;

/// <summary>One non-blank line of an NDJSON body: its 1-based line number and its bytes, or none when it was too long to keep.</summary>
internal readonly record struct NdjsonLine(int Number, byte[]? Content)
{
    public bool TooLong => Content is null;
}
