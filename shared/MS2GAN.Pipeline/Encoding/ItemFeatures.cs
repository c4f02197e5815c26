using MS2GAN.Model.Artifacts;

namespace MS2GAN.Pipeline;

/// <summary>The base features <see cref="ItemVectorizer.ResolveAsync"/> found or computed for a set of items.</summary>
/// <param name="Space">The feature space they are in.</param>
/// <param name="Rows">One row per item and modality that has usable features.</param>
/// <param name="Failed">Items whose features could not be had, with the reason (wrong width, an image that does not decode).</param>
public sealed record ItemFeatures(FeatureSpace Space, IReadOnlyList<FeatureRow> Rows, IReadOnlyDictionary<string, string> Failed)
{
    /// <summary>The rows of one item (at most one per modality).</summary>
    public IEnumerable<FeatureRow> Of(string itemId) => Rows.Where(row => row.Item.Id == itemId);
}
