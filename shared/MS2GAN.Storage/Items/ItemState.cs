namespace MS2GAN.Storage.Items;

/// <summary>Where an item is on its way from ingest to searchable.</summary>
public enum ItemState
{
    /// <summary>Recorded, waiting for the encoder.</summary>
    Ingested,

    /// <summary>Its vectors are in the index of <see cref="ItemRecord.ModelVersion"/>.</summary>
    Indexed,

    /// <summary>The encoder could not index it; <see cref="ItemRecord.FailureReason"/> says why.</summary>
    Failed,
}
