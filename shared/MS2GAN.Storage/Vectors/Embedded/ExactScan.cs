namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>One query waiting for an exact scan, and, once the scan is done, its hits or the scan's failure.</summary>
internal sealed class ExactScan(VectorQuery query, float[] qs, float[] qc, SlotFilter filter, int need)
{
    // Continuations run on their own: the thread that completes a batch goes on to the next one.
    private readonly TaskCompletionSource<IReadOnlyList<VectorHit>> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public VectorQuery Query { get; } = query;

    public float[] Qs { get; } = qs;

    public float[] Qc { get; } = qc;

    public SlotFilter Filter { get; } = filter;

    public int Need { get; } = need;

    public bool IsDone => _result.Task.IsCompleted;

    /// <summary>The hits, once a scan has taken this query; waiting holds no thread.</summary>
    public Task<IReadOnlyList<VectorHit>> Result => _result.Task;

    public void Complete(IReadOnlyList<VectorHit> hits) => _result.TrySetResult(hits);

    public void Fail(Exception failure) => _result.TrySetException(failure);
}
