namespace MS2GAN.Host.Cli;

/// <summary>An IProgress that runs its handler on the reporting thread, in order (Progress&lt;T&gt; would post elsewhere).</summary>
public sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => handler(value);
}
