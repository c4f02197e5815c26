namespace MS2GAN.Contracts;

/// <summary>How far a reindex has come (published about once a second while it runs).</summary>
/// <param name="ModelVersion">The version whose index is being built.</param>
/// <param name="Done">Items scanned.</param>
/// <param name="Total">Items in the store when it started.</param>
/// <param name="ItemsPerSecond">Rate so far.</param>
/// <param name="RemainingSeconds">Estimated time left; null before the rate is known.</param>
public sealed record ReindexProgressed(string ModelVersion, long Done, long Total, double ItemsPerSecond, double? RemainingSeconds);
