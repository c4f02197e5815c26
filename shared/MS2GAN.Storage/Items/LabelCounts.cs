namespace MS2GAN.Storage.Items;

/// <summary>The labels of the items that are not failed.</summary>
/// <param name="LabelledItems">Items carrying at least one label.</param>
/// <param name="ByLabel">Items carrying each label (an item with two labels counts under both).</param>
public sealed record LabelCounts(long LabelledItems, IReadOnlyDictionary<string, long> ByLabel);
