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

    /// <summary>
    /// The prediction of an item from the class probabilities of its image, its text or both (an empty row for a modality it
    /// lacks): the most probable class of their mean.
    /// </summary>
    /// <exception cref="ArgumentException">Both rows are empty, their lengths differ, or they do not match the class names.</exception>
    public static LabelPrediction Of(ReadOnlySpan<float> image, ReadOnlySpan<float> text, IReadOnlyList<string>? classNames)
    {
        if (image.IsEmpty || text.IsEmpty)
        {
            return Top(image.IsEmpty ? text : image, classNames);
        }
        if (image.Length != text.Length)
        {
            throw new ArgumentException($"{image.Length} image class probabilities but {text.Length} text ones", nameof(text));
        }
        var mean = new float[image.Length];
        System.Numerics.Tensors.TensorPrimitives.Add(image, text, mean);
        System.Numerics.Tensors.TensorPrimitives.Multiply(mean, 0.5f, mean);
        return Top(mean, classNames);
    }
}
