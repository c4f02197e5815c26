using MS2GAN.Features.Data;

namespace MS2GAN.Model.Evaluation;

/// <summary>Specific and shared features of the paired image and text items of one split, with their labels.</summary>
public sealed record EncodedSplit(
    FeatureMatrix ImageSpecific,
    FeatureMatrix ImageShared,
    FeatureMatrix TextSpecific,
    FeatureMatrix TextShared,
    IReadOnlyList<int> Labels);
