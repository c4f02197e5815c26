namespace MS2GAN.Storage.Elasticsearch;

/// <summary>
/// One line pair of a <c>_bulk</c> body: <see cref="Action"/> <paramref name="Document"/> under <paramref name="Id"/>,
/// or delete it when <paramref name="Document"/> is null.
/// </summary>
internal sealed record BulkOperation(string Id, string? Document)
{
    /// <summary><c>index</c> (the default), <c>create</c> (fails with 409 when the id exists) or <c>update</c> (the document is the update body).</summary>
    public string Action { get; init; } = "index";

    /// <summary>With <see cref="IfPrimaryTerm"/>: write only if the document is still at this sequence number, else 409.</summary>
    public long? IfSeqNo { get; init; }

    /// <summary>The primary term that goes with <see cref="IfSeqNo"/>.</summary>
    public long? IfPrimaryTerm { get; init; }

    /// <summary>The JSON action name sent.</summary>
    public string ActionName => Document is null ? "delete" : Action;

    /// <summary>
    /// Whether a status is an answer rather than a failure: a missing document for a delete or an update (404), a
    /// taken id or a moved document for a conditional write (409).
    /// </summary>
    public bool IsAnswer(int status) =>
        status is >= 200 and < 300
        || (status == 404 && ActionName is "delete" or "update")
        || (status == 409 && (ActionName == "create" || IfSeqNo is not null));
}
