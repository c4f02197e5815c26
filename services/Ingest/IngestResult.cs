using MS2GAN.Storage.Items;

namespace MS2GAN.Ingest;

/// <summary>What <see cref="IngestService"/> did with one item: recorded (with the store's outcome) or refused (with errors per field).</summary>
public sealed record IngestResult
{
    /// <summary>The item's id (generated when the request had none); null when the request was refused before an id was settled.</summary>
    public string? Id { get; init; }

    /// <summary>What the item store did; null when the item was refused.</summary>
    public UpsertOutcome? Outcome { get; init; }

    /// <summary>Why the item was refused, per JSON field; empty when it was recorded.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; init; } = new Dictionary<string, string[]>();

    /// <summary>Whether the item was recorded.</summary>
    public bool IsAccepted => Outcome is not null;

    /// <summary>A recorded item.</summary>
    public static IngestResult Accepted(string id, UpsertOutcome outcome) => new() { Id = id, Outcome = outcome };

    /// <summary>A refused item; nothing was stored or published for it.</summary>
    public static IngestResult Refused(IReadOnlyDictionary<string, string[]> errors) => new() { Errors = errors };
}
