namespace MS2GAN.Host.Cli;

/// <summary>One progress report for <see cref="TerminalProgress.RunAsync{T}"/>.</summary>
/// <param name="Description">What is happening now (rate and ETA included when known).</param>
/// <param name="Done">Units done, when the work is counted.</param>
/// <param name="Total">Units in all; null while the length of the work is unknown.</param>
public sealed record ProgressStep(string Description, double? Done = null, double? Total = null);
