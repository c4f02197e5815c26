namespace MS2GAN.Storage.Items;

/// <summary>The checks every item store makes on an upserted item, before it writes anything.</summary>
internal static class ItemValidation
{
    /// <summary>Throws <see cref="ArgumentException"/> (parameter "items") naming the item when it cannot be stored.</summary>
    public static void Check(ItemRecord? item, int index)
    {
        if (item is null)
        {
            throw new ArgumentException($"Item {index} is null.", "items");
        }
        ItemIds.Validate(item.Id, "items");
        if (string.IsNullOrWhiteSpace(item.ContentHash))
        {
            throw new ArgumentException($"Item '{item.Id}' has no content hash.", "items");
        }
        if (item.Labels is null || item.Labels.Any(label => label is null))
        {
            throw new ArgumentException($"Item '{item.Id}' has null labels.", "items");
        }
        if (item.Metadata is null)
        {
            throw new ArgumentException($"Item '{item.Id}' has null metadata.", "items");
        }
    }

    /// <summary>The ids asked for, each once, in the order first asked; throws on a null id.</summary>
    public static List<string> DistinctIds(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            ArgumentNullException.ThrowIfNull(id, nameof(ids));
            if (seen.Add(id))
            {
                wanted.Add(id);
            }
        }
        return wanted;
    }
}
