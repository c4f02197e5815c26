namespace MS2GAN.Storage.Items;

/// <summary>States as stored: words, not numbers, so the SQLite file and the Elasticsearch documents read plainly.</summary>
internal static class ItemStateNames
{
    public static string Name(ItemState state) => state switch
    {
        ItemState.Ingested => "ingested",
        ItemState.Indexed => "indexed",
        ItemState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown item state."),
    };

    public static ItemState Parse(string name) => name switch
    {
        "ingested" => ItemState.Ingested,
        "indexed" => ItemState.Indexed,
        "failed" => ItemState.Failed,
        _ => throw new InvalidDataException($"Unknown item state '{name}' in the item store."),
    };
}
