using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The predicate a filtered graph search applies to each candidate during the traversal: the key's slot must not be
/// pending (its graph entry is stale; its row is scored exactly instead) and its record must pass the query's
/// labels, metadata and exclusion. Runs on the searching thread, under the index's read lock.
/// </summary>
internal sealed class GraphFilter(SlotTable table, SlotFilter filter, HashSet<int>? pending)
{
    private readonly bool _checkRecord = !filter.TargetOnly;

    /// <summary>Whether the search needs a predicate at all (otherwise the plain search is used).</summary>
    public bool IsNeeded => _checkRecord || pending is { Count: > 0 };

    public bool Accepts(int slot) =>
        (pending is null || !pending.Contains(slot)) && (!_checkRecord || table.Matches(slot, filter));

    public unsafe int Search(nint index, ReadOnlySpan<float> query, Span<ulong> keys, Span<float> distances)
    {
        var handle = GCHandle.Alloc(this);
        try
        {
            return UsearchNative.FilteredSearch(index, query, &Accept, GCHandle.ToIntPtr(handle), keys, distances);
        }
        finally
        {
            handle.Free();
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Accept(ulong key, nint state)
    {
        try
        {
            return ((GraphFilter)GCHandle.FromIntPtr(state).Target!).Accepts((int)key) ? 1 : 0;
        }
        catch
        {
            // An exception must not cross into native code; a candidate that cannot be checked is left out.
            return 0;
        }
    }
}
