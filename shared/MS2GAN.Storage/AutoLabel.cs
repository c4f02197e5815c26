namespace MS2GAN.Storage;

/// <summary>
/// The label the active model predicts for an item that was ingested without labels, with the model's confidence (the
/// class probability, averaged over the item's modalities). Recorded on the item and on its vector records, so searches
/// can filter on it; a reindex with another model replaces it.
/// </summary>
/// <param name="Label">The predicted class name.</param>
/// <param name="Confidence">The predicted class's probability, in [0, 1].</param>
public sealed record AutoLabel(string Label, double Confidence);
