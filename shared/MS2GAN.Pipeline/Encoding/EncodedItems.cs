using MS2GAN.Storage;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Pipeline;

/// <summary>What <see cref="ItemVectorizer.Encode"/> made of a set of items with one model version.</summary>
/// <param name="Records">The vector records, one per item and modality encoded.</param>
/// <param name="Modalities">The modalities each item got a record for.</param>
/// <param name="Failed">Items that could not be encoded, with the reason (features resolved for them included).</param>
/// <param name="AutoLabels">The label the model predicts for each encoded item that has no labels (none when the model has no label head); also on its records.</param>
public sealed record EncodedItems(
    IReadOnlyList<VectorRecord> Records,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Modalities,
    IReadOnlyDictionary<string, string> Failed,
    IReadOnlyDictionary<string, AutoLabel> AutoLabels);
