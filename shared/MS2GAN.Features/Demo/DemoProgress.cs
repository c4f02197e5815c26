namespace MS2GAN.Features.Demo;

/// <summary>How far demo generation has come, for a progress bar.</summary>
/// <param name="Phase">The current stage.</param>
/// <param name="Done">Items finished in this stage.</param>
/// <param name="Total">Items in this stage.</param>
public sealed record DemoProgress(DemoPhase Phase, int Done, int Total);
