namespace MS2GAN.Benchmarks;

/// <summary>
/// The raw-broker benchmark's message: the shape and size of ItemIngested, under a type of its own so
/// that no pipeline queue is bound to it.
/// </summary>
public sealed record BenchItemMessage(
    string ItemId, string ContentHash, bool HasImage, bool HasText, bool HasImageFeatures, bool HasTextFeatures, DateTimeOffset IngestedAt);
