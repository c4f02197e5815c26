using MS2GAN.Model.Artifacts;
using MS2GAN.Storage.Items;

namespace MS2GAN.Pipeline;

/// <summary>
/// Whether the base features an item carries can be used by a model as they are: the one rule the encoder, the reindexer,
/// search and training follow.
/// </summary>
public static class StoredFeatures
{
    /// <summary>
    /// The item's features of <paramref name="modality"/> ("image" or "text") for a model of <paramref name="space"/>.
    /// Features given with the item carry no space name; cached backbone features carry the backbone's name and count
    /// only for a model of that space. Such features are returned when they fit the model (width, finite values); when
    /// they do not, <c>Problem</c> says why. Neither is set when the item holds no features of that space (the backbones
    /// may compute them from its media).
    /// </summary>
    public static (float[]? Features, string? Problem) Of(ItemRecord item, string modality, FeatureSpace space)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(space);
        var (features, cachedSpace) = modality switch
        {
            "image" => (item.ImageFeatures, item.ImageFeatureSpace),
            "text" => (item.TextFeatures, item.TextFeatureSpace),
            _ => throw new ArgumentException($"unknown modality {modality}", nameof(modality)),
        };
        if (features is null || (cachedSpace is not null && cachedSpace != space.Of(modality).Name))
        {
            return (null, null);
        }
        return space.Problem(modality, features) is { } problem ? (null, $"the item's stored {problem}") : (features, null);
    }
}
