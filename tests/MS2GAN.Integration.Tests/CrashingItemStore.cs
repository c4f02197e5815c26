using MS2GAN.Storage.Items;

namespace MS2GAN.Integration.Tests;

/// <summary>
/// The real item store, except that one call of <see cref="MarkIndexedAsync"/> throws: the encoder has then
/// written a batch's vectors but not yet marked its items indexed, the middle of a batch. Everything else
/// is passed through.
/// </summary>
internal sealed class CrashingItemStore(IItemStore inner, int crashOnMarkIndexedCall) : DelegatingItemStore(inner)
{
    private int _markIndexedCalls;
    private IReadOnlyCollection<string> _crashedIds = [];

    /// <summary>The ids of the batch that crashed; empty until it has.</summary>
    public IReadOnlyCollection<string> CrashedIds => Volatile.Read(ref _crashedIds);

    public override Task<int> MarkIndexedAsync(IReadOnlyCollection<string> ids, string modelVersion, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _markIndexedCalls) == crashOnMarkIndexedCall)
        {
            Volatile.Write(ref _crashedIds, [.. ids]);
            throw new InvalidOperationException($"simulated crash of the encoder after writing the vectors of {ids.Count} items, before marking them indexed");
        }
        return Inner.MarkIndexedAsync(ids, modelVersion, cancellationToken);
    }
}
