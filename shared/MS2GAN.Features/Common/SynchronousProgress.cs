namespace MS2GAN.Features.Common;

/// <summary>
/// An IProgress that runs its handler on the reporting thread, in order. Progress&lt;T&gt; would post each
/// report to the thread pool, so a progress bar could show them late and out of order.
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
