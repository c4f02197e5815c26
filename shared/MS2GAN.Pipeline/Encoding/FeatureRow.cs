using MS2GAN.Storage.Items;

namespace MS2GAN.Pipeline;

/// <summary>Base features of one item and modality, ready to encode.</summary>
/// <param name="Item">The item.</param>
/// <param name="Modality">"image" or "text".</param>
/// <param name="Features">Its base features in the model's space.</param>
/// <param name="Computed">Computed by a backbone just now (not yet cached in the item store).</param>
public sealed record FeatureRow(ItemRecord Item, string Modality, float[] Features, bool Computed);
