namespace MS2GAN.Benchmarks;

/// <summary>A bad command-line option: the message names it.</summary>
public sealed class BenchUsageException(string message) : Exception(message);
