namespace MS2GAN.Model.Evaluation;

/// <summary>What the evaluation plots draw for one weighting: the precision-recall curves and the AP per class, both directions.</summary>
/// <param name="I2T">Image queries against the text database.</param>
/// <param name="T2I">Text queries against the image database.</param>
/// <param name="ClassApI2T">Mean AP of the image queries of each class, by label.</param>
/// <param name="ClassApT2I">Mean AP of the text queries of each class, by label.</param>
public sealed record RetrievalCurves(
    PrecisionRecallCurve I2T,
    PrecisionRecallCurve T2I,
    IReadOnlyDictionary<int, double> ClassApI2T,
    IReadOnlyDictionary<int, double> ClassApT2I);
