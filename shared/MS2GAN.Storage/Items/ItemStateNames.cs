namespace MS2GAN.Storage.Items;

/// <summary>
/// States as words ("ingested", "indexed", "failed"), not numbers: so the SQLite file and the Elasticsearch documents
/// read plainly, and so the HTTP APIs show them.
/// </summary>
public static class ItemStateNames
{
    /// <summary>The word for <paramref name="state"/>.</summary>
    public static string Name(ItemState state) => state switch
    {
        ItemState.Ingested => "ingested",
        ItemState.Indexed => "indexed",
        ItemState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown item state."),
    };

    /// <summary>The state a stored word names.</summary>
    /// <exception cref="InvalidDataException">The word names no state.</exception>
    public static ItemState Parse(string name) => name switch
    {
        "ingested" => ItemState.Ingested,
        "indexed" => ItemState.Indexed,
        "failed" => ItemState.Failed,
        _ => throw new InvalidDataException($"Unknown item state '{name}' in the item store."),
    };
}
