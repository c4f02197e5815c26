namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>Result order: higher score first, then ItemId, then modality (ordinal), so ties are deterministic.</summary>
internal sealed class HitOrder(string?[] itemIds, byte[] modalities) : IComparer<ScoredSlot>
{
    /// <summary>Negative when <paramref name="x"/> ranks before <paramref name="y"/>.</summary>
    public int Compare(ScoredSlot x, ScoredSlot y)
    {
        var byScore = y.Score.CompareTo(x.Score);
        if (byScore != 0)
        {
            return byScore;
        }

        var byId = string.CompareOrdinal(itemIds[x.Slot], itemIds[y.Slot]);
        if (byId != 0)
        {
            return byId;
        }

        // "image" < "text" ordinally, and their codes are 1 and 2.
        return modalities[x.Slot].CompareTo(modalities[y.Slot]);
    }
}
