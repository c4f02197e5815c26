using MS2GAN.Features.Data;
using MS2GAN.Model.Export;

namespace MS2GAN.Model.Tests.Onnx;

/// <summary>Seeded random encoders and inputs, so every failure can be replayed.</summary>
internal static class RandomEncoders
{
    /// <summary>
    /// An encoder inputDim -> hidden -> specificDim -> hidden -> sharedDim with <paramref name="activation"/>
    /// after every layer except, when <paramref name="linearOutputs"/>, the last of each stack (as Mlp does).
    /// </summary>
    public static EncoderSpec Create(int seed, Activation activation, string modality = "image", int inputDim = 24,
        int specificDim = 16, int sharedDim = 8, bool linearOutputs = false, float leakySlope = 0.2f, int classes = 0, double inputPower = 1)
    {
        var random = new Random(seed);
        var mean = Values(random, inputDim, 0.5f);
        var scale = new float[inputDim];
        for (var i = 0; i < inputDim; i++)
        {
            scale[i] = 0.5f + (float)random.NextDouble();
        }
        var specific = new[]
        {
            Layer(random, inputDim, 32, activation, leakySlope),
            Layer(random, 32, specificDim, linearOutputs ? Activation.None : activation, leakySlope),
        };
        var common = new[]
        {
            Layer(random, specificDim, 12, activation, leakySlope),
            Layer(random, 12, sharedDim, linearOutputs ? Activation.None : activation, leakySlope),
        };
        var labels = classes == 0 ? null
            : new LabelHead(Layer(random, specificDim, classes, Activation.None, leakySlope), Layer(random, sharedDim, classes, Activation.None, leakySlope));
        return new EncoderSpec(modality, mean, scale, specific, common, labels, inputPower);
    }

    /// <summary>Features roughly like standardised base features: centred near 0.5, spread about 1.</summary>
    public static FeatureMatrix Features(int seed, int rows, int columns)
    {
        var random = new Random(seed);
        var values = new float[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = 0.5f + (float)(random.NextDouble() * 2 - 1);
        }
        return new FeatureMatrix(values, rows, columns);
    }

    private static DenseLayer Layer(Random random, int inFeatures, int outFeatures, Activation activation, float leakySlope)
    {
        // The bound of torch.nn.Linear's default initialisation, so activations see realistic ranges.
        var bound = 1 / MathF.Sqrt(inFeatures);
        return new DenseLayer(Values(random, outFeatures * inFeatures, bound), Values(random, outFeatures, bound),
            inFeatures, outFeatures, activation, leakySlope);
    }

    private static float[] Values(Random random, int count, float bound)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        }
        return values;
    }
}
