namespace MS2GAN.Ingest;

/// <summary>A batch line that was recorded.</summary>
/// <param name="Line">The 1-based line number in the request body.</param>
/// <param name="Id">The item's id (generated when the line had none).</param>
/// <param name="Outcome">"created", "replaced" or "unchanged" (the same content was already there).</param>
public sealed record BatchLineAccepted(int Line, string Id, string Outcome);
