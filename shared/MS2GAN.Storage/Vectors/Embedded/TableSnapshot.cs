namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>A copy of a <see cref="SlotTable"/>'s rows at log sequence <see cref="LastSeq"/>, written to a snapshot in the background.</summary>
internal sealed record TableSnapshot(
    long LastSeq, int Rows, string?[] ItemIds, byte[] Modalities, string[][] Labels,
    IReadOnlyDictionary<string, string>[] Metadata, long[] Seqs, float[] Specific, float[] Shared)
{
    public PreparedRecord Record(int slot, int specificDim, int sharedDim) => new(
        ItemIds[slot]!, Modalities[slot],
        Specific.AsSpan(slot * specificDim, specificDim).ToArray(), Shared.AsSpan(slot * sharedDim, sharedDim).ToArray(),
        Labels[slot], Metadata[slot]);
}
