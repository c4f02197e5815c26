namespace MS2GAN.Features.Data;

/// <summary>One split of a paired dataset: row i of each matrix and label i describe item i.</summary>
/// <param name="Image">Image features, one row per item.</param>
/// <param name="Text">Text features, one row per item.</param>
/// <param name="Labels">Class of each item, from 0.</param>
public sealed record FeatureSplit(FeatureMatrix Image, FeatureMatrix Text, int[] Labels)
{
    /// <summary>Number of items.</summary>
    public int Count => Labels.Length;
}
