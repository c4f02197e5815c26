namespace MS2GAN.Storage.Vectors;

/// <summary>One query waiting for an exact scan, and, once the scan is done, its hits or the scan's failure.</summary>
internal sealed class ExactScan(VectorQuery query, float[] qs, float[] qc, SlotFilter filter, int need)
{
    private readonly ManualResetEventSlim _done = new();
    private IReadOnlyList<VectorHit>? _hits;
    private Exception? _failure;
    private volatile bool _completed;

    public VectorQuery Query { get; } = query;

    public float[] Qs { get; } = qs;

    public float[] Qc { get; } = qc;

    public SlotFilter Filter { get; } = filter;

    public int Need { get; } = need;

    public bool IsDone => _completed;

    public void Complete(IReadOnlyList<VectorHit> hits)
    {
        _hits = hits;
        _completed = true;
        _done.Set();
    }

    public void Fail(Exception failure)
    {
        _failure = failure;
        _completed = true;
        _done.Set();
    }

    /// <summary>Blocks until the scan that took this query is done; rethrows its failure.</summary>
    public IReadOnlyList<VectorHit> Wait()
    {
        _done.Wait();
        _done.Dispose();
        return _failure is null ? _hits! : throw new InvalidOperationException("The exact scan failed.", _failure);
    }
}
