namespace MS2GAN.Storage.Items;

/// <summary>What <see cref="IItemStore.UpsertAsync"/> did with an item.</summary>
public enum UpsertOutcome
{
    /// <summary>No item had this id; it was inserted.</summary>
    Created,

    /// <summary>An item with this id and the same content hash exists; nothing changed (idempotent ingest).</summary>
    Unchanged,

    /// <summary>An item with this id had other content; it was replaced and its state reset to <see cref="ItemState.Ingested"/>.</summary>
    Replaced,
}
