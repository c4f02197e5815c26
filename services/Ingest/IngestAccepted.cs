namespace MS2GAN.Ingest;

/// <summary>The answer to <c>POST /v1/items</c>: the item's id and what the store did.</summary>
/// <param name="Id">The item's id (generated when the request had none).</param>
/// <param name="Outcome">"created", "replaced" or "unchanged" (the same content was already there: nothing new to index).</param>
public sealed record IngestAccepted(string Id, string Outcome);
