namespace MS2GAN.Model.Registry;

/// <summary>
/// A reindex in progress, checkpointed in the registry so that a crash resumes where it stopped: every item
/// with an id up to <see cref="AfterId"/> has been written to <see cref="IndexName"/>.
/// </summary>
public sealed record ReindexState
{
    /// <summary>"promote" (a new version) or "rollback" (back to the previous version).</summary>
    public required string Kind { get; init; }

    /// <summary>The version whose index is being built.</summary>
    public required string Version { get; init; }

    /// <summary>The physical index being built.</summary>
    public required string IndexName { get; init; }

    /// <summary>The version active when the reindex started (served until the alias is swapped); null for the first model.</summary>
    public string? FromVersion { get; init; }

    /// <summary>Who asked for it.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The command's request id, so a client can tell its own outcome.</summary>
    public Guid? RequestId { get; init; }

    /// <summary>
    /// Only items changed since then need writing (a rollback: the previous index already holds everything older);
    /// null for all items.
    /// </summary>
    public DateTimeOffset? ChangedSince { get; init; }

    /// <summary>The last item id done (ordinal order); null before the first page.</summary>
    public string? AfterId { get; init; }

    /// <summary>Items scanned so far.</summary>
    public long Done { get; init; }

    /// <summary>Items in the item store when the reindex started (items added meanwhile are written by the encoders).</summary>
    public long Total { get; init; }

    /// <summary>When the reindex started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the last checkpoint was written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Items done since it started, per second (0 before the first checkpoint).</summary>
    public double ItemsPerSecond
    {
        get
        {
            var seconds = (UpdatedAt - StartedAt).TotalSeconds;
            return seconds > 0 ? Done / seconds : 0;
        }
    }

    /// <summary>Estimated time left at the rate so far; null before the rate is known.</summary>
    public TimeSpan? Remaining => ItemsPerSecond > 0 ? TimeSpan.FromSeconds(Math.Max(0, Total - Done) / ItemsPerSecond) : null;
}
