namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>A validated record as the index stores it: modality as its code, vectors L2-normalised copies.</summary>
internal sealed record PreparedRecord(
    string ItemId, byte Modality, float[] Specific, float[] Shared, string[] Labels,
    IReadOnlyDictionary<string, string> Metadata, AutoLabel? AutoLabel = null)
{
    /// <summary>Checks <paramref name="record"/> against the index's dimensions and prepares it; throws <see cref="ArgumentException"/> naming the item.</summary>
    public static PreparedRecord From(VectorRecord record, int specificDim, int sharedDim)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrEmpty(record.ItemId))
        {
            throw new ArgumentException("A vector record needs an ItemId.");
        }

        var modality = VectorRecordValidation.ModalityCode(record.Modality);
        if (modality == 0)
        {
            throw new ArgumentException($"Item '{record.ItemId}': modality must be 'image' or 'text', not '{record.Modality}'.");
        }

        var s = VectorRecordValidation.Normalised(record.Specific, specificDim, "specific", record.ItemId);
        var c = VectorRecordValidation.Normalised(record.Shared, sharedDim, "shared", record.ItemId);
        var labels = record.Labels?.ToArray() ?? [];
        if (labels.Any(l => l is null))
        {
            throw new ArgumentException($"Item '{record.ItemId}': labels must not be null.");
        }

        IReadOnlyDictionary<string, string> metadata = record.Metadata is { Count: > 0 }
            ? new Dictionary<string, string>(record.Metadata, StringComparer.Ordinal)
            : SlotTable.EmptyMetadata;
        VectorRecordValidation.ValidateAutoLabel(record.AutoLabel, record.ItemId);
        return new PreparedRecord(record.ItemId, modality, s, c, labels, metadata, record.AutoLabel);
    }
}
