using System.Text.Json.Serialization;

namespace MS2GAN.Ingest;

/// <summary>The per-line results of an NDJSON batch (the body of the 200 answer to <c>POST /v1/items/batch</c>).</summary>
public sealed record BatchIngestResult
{
    /// <summary>The lines recorded, in line order.</summary>
    public required IReadOnlyList<BatchLineAccepted> Accepted { get; init; }

    /// <summary>The lines refused, in line order.</summary>
    public required IReadOnlyList<BatchLineRejected> Rejected { get; init; }

    /// <summary>
    /// The number of the first line that was not read because the batch holds more items than allowed;
    /// null when the whole body was read. Lines before it were processed as reported.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StoppedAtLine { get; init; }
}
