using MS2GAN.Features.Data;
using MS2GAN.Model.Training;

namespace MS2GAN.Model.Export;

/// <summary>
/// The exported encoder's computation written out in plain C#, accumulating in double. Slow, but
/// independent of both TorchSharp and ONNX Runtime, so tests can use it as a third opinion on export parity.
/// </summary>
public static class EncoderReference
{
    /// <summary>
    /// Runs <paramref name="spec"/> on every row: (p(x) - Mean) * Scale (p the input power), the specific stack giving S, the
    /// common stack on S giving C, then S / max(||S||2, eps) and C / max(||C||2, eps).
    /// </summary>
    /// <param name="spec">The encoder.</param>
    /// <param name="features">Base features, one row per item, <see cref="EncoderSpec.InputDim"/> columns.</param>
    /// <returns>The normalised specific and shared features, one row per input row.</returns>
    public static (FeatureMatrix Specific, FeatureMatrix Shared) Forward(EncoderSpec spec, FeatureMatrix features)
    {
        Check(spec, features);

        var specific = new float[(long)features.Rows * spec.SpecificDim];
        var shared = new float[(long)features.Rows * spec.SharedDim];
        for (var row = 0; row < features.Rows; row++)
        {
            var (s, c) = Encode(spec, features.Row(row));
            WriteNormalised(s, specific.AsSpan(row * spec.SpecificDim, spec.SpecificDim));
            WriteNormalised(c, shared.AsSpan(row * spec.SharedDim, spec.SharedDim));
        }
        return (new FeatureMatrix(specific, features.Rows, spec.SpecificDim),
                new FeatureMatrix(shared, features.Rows, spec.SharedDim));
    }

    /// <summary>
    /// The class probabilities of every row: the mean of softmax(S W_s^T + b_s) and softmax(C W_c^T + b_c), S and C
    /// taken before normalisation, as the exported probability output computes them.
    /// </summary>
    /// <exception cref="ArgumentException">The spec has no label head, or the features do not fit it.</exception>
    public static FeatureMatrix Probabilities(EncoderSpec spec, FeatureMatrix features)
    {
        Check(spec, features);
        var labels = spec.Labels ?? throw new ArgumentException($"the {spec.Modality} encoder spec has no label head", nameof(spec));
        var classes = labels.ClassCount;
        var result = new float[(long)features.Rows * classes];
        for (var row = 0; row < features.Rows; row++)
        {
            var (s, c) = Encode(spec, features.Row(row));
            var fromSpecific = Softmax(Stack([labels.Specific], s));
            var fromShared = Softmax(Stack([labels.Shared], c));
            for (var k = 0; k < classes; k++)
            {
                result[(row * classes) + k] = (float)((fromSpecific[k] + fromShared[k]) / 2);
            }
        }
        return new FeatureMatrix(result, features.Rows, classes);
    }

    private static void Check(EncoderSpec spec, FeatureMatrix features)
    {
        EncoderSpecChecks.Validate(spec);
        ArgumentNullException.ThrowIfNull(features);
        features.Validate();
        if (features.Columns != spec.InputDim)
        {
            throw new ArgumentException(
                $"{spec.Modality} features have {features.Columns} dimensions but the {spec.Modality} encoder expects {spec.InputDim}",
                nameof(features));
        }
    }

    // S and C of one row, before L2 normalisation.
    private static (double[] Specific, double[] Shared) Encode(EncoderSpec spec, ReadOnlySpan<float> x)
    {
        var input = new double[spec.InputDim];
        for (var j = 0; j < input.Length; j++)
        {
            input[j] = ((double)FeatureNormalizer.Transform(x[j], spec.InputPower) - spec.Mean[j]) * spec.Scale[j];
        }
        var s = Stack(spec.Specific, input);
        return (s, Stack(spec.Common, spec.SharedInput is { } sharedInput ? Stack(sharedInput, input) : s));
    }

    private static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(v => Math.Exp(v - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(v => v / sum).ToArray();
    }

    private static double[] Stack(IReadOnlyList<DenseLayer> layers, double[] input)
    {
        var current = input;
        foreach (var layer in layers)
        {
            var next = new double[layer.OutFeatures];
            for (var o = 0; o < layer.OutFeatures; o++)
            {
                double sum = layer.Bias[o];
                var offset = o * layer.InFeatures;
                for (var i = 0; i < layer.InFeatures; i++)
                {
                    sum += layer.Weight[offset + i] * current[i];
                }
                next[o] = Activate(layer, sum);
            }
            current = next;
        }
        return current;
    }

    private static double Activate(DenseLayer layer, double x) => layer.Activation switch
    {
        Activation.None => x,
        Activation.Relu => Math.Max(x, 0.0),
        Activation.LeakyRelu => x >= 0 ? x : layer.LeakySlope * x,
        Activation.Tanh => Math.Tanh(x),
        Activation.Sigmoid => 1.0 / (1.0 + Math.Exp(-x)),
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Activation, "unknown activation"),
    };

    private static void WriteNormalised(double[] values, Span<float> destination)
    {
        var sumSquares = 0.0;
        foreach (var v in values)
        {
            sumSquares += v * v;
        }
        var norm = Math.Max(Math.Sqrt(sumSquares), OnnxExporter.NormEpsilon);
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = (float)(values[i] / norm);
        }
    }
}
