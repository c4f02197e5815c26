namespace MS2GAN.Contracts;

/// <summary>
/// A version's index is complete and the alias now points at it: searches answer with this version, the encoders
/// write it alone. Sent after a promotion and after a rollback.
/// </summary>
/// <param name="ModelVersion">The version now active.</param>
/// <param name="PreviousVersion">The version active before (kept for rollback); null when this is the first model.</param>
/// <param name="IndexName">The physical index the alias points at.</param>
/// <param name="Kind">"promote" or "rollback".</param>
/// <param name="Items">Items scanned by the reindex.</param>
/// <param name="Seconds">How long the reindex took.</param>
/// <param name="RequestId">The command's request id.</param>
public sealed record ReindexCompleted(
    string ModelVersion,
    string? PreviousVersion,
    string IndexName,
    string Kind,
    long Items,
    double Seconds,
    Guid? RequestId);
