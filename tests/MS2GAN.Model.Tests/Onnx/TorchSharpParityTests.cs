using MS2GAN.Model.Export;
using static TorchSharp.torch;

namespace MS2GAN.Model.Tests.Onnx;

/// <summary>The exported graph computes what TorchSharp computes with the same weights (training runs in TorchSharp).</summary>
public sealed class TorchSharpParityTests
{
    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    public void Onnx_runtime_matches_torchsharp_on_the_same_weights(Activation activation)
    {
        var spec = RandomEncoders.Create(seed: 200 + (int)activation, activation, linearOutputs: true);
        var features = RandomEncoders.Features(seed: 7, rows: 40, spec.InputDim);
        using var encoder = Encoders.FromSpec(spec);

        var onnx = encoder.Encode(features);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = (tensor(features.Values).reshape(features.Rows, features.Columns) - tensor(spec.Mean)) * tensor(spec.Scale);
        var s = Stack(spec.Specific, x);
        var c = Stack(spec.Common, s);
        var specific = nn.functional.normalize(s, p: 2, dim: 1).data<float>().ToArray();
        var shared = nn.functional.normalize(c, p: 2, dim: 1).data<float>().ToArray();
        Assert.InRange(MaxAbsDiff(specific, onnx.Specific.Values), 0, 1e-5);
        Assert.InRange(MaxAbsDiff(shared, onnx.Shared.Values), 0, 1e-5);
    }

    private static Tensor Stack(IReadOnlyList<DenseLayer> layers, Tensor x)
    {
        foreach (var layer in layers)
        {
            var weight = tensor(layer.Weight).reshape(layer.OutFeatures, layer.InFeatures);
            x = nn.functional.linear(x, weight, tensor(layer.Bias));
            x = layer.Activation switch
            {
                Activation.Relu => nn.functional.relu(x),
                Activation.LeakyRelu => nn.functional.leaky_relu(x, layer.LeakySlope),
                Activation.Tanh => x.tanh(),
                Activation.Sigmoid => x.sigmoid(),
                _ => x,
            };
        }
        return x;
    }

    private static double MaxAbsDiff(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).DefaultIfEmpty().Max();
    }
}
