namespace MS2GAN.Model.Inference;

/// <summary>A predicted label of an item and how sure the model is of it.</summary>
/// <param name="ClassIndex">The predicted class, 0 to the model's class count - 1.</param>
/// <param name="Label">The class's name (the model's class names; <c>class-N</c> when it has none).</param>
/// <param name="Confidence">The predicted class's probability, 0 to 1.</param>
public sealed record LabelPrediction(int ClassIndex, string Label, double Confidence)
{
    /// <summary>The most probable class of one row of class probabilities.</summary>
    /// <exception cref="ArgumentException">The row is empty or does not match the class names.</exception>
    public static LabelPrediction Top(ReadOnlySpan<float> probabilities, IReadOnlyList<string>? classNames)
    {
        if (probabilities.IsEmpty || (classNames is not null && classNames.Count != probabilities.Length))
        {
            throw new ArgumentException(
                $"{probabilities.Length} class probabilities for {(classNames is null ? "unnamed classes" : $"{classNames.Count} class names")}",
                nameof(probabilities));
        }
        var best = 0;
        for (var k = 1; k < probabilities.Length; k++)
        {
            if (probabilities[k] > probabilities[best])
            {
                best = k;
            }
        }
        return new LabelPrediction(best, classNames?[best] ?? $"class-{best}", probabilities[best]);
    }
}
