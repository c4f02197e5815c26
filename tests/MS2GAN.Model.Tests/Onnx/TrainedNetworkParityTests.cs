using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Model.Tests.Support;
using MS2GAN.Model.Training;
using static TorchSharp.torch;

namespace MS2GAN.Model.Tests.Onnx;

/// <summary>The ONNX encoders written for a trained network give what the network itself gives.</summary>
[Collection(TorchTrainingCollection.Name)]
public sealed class TrainedNetworkParityTests
{
    [Theory]
    [InlineData("image", "specific")]
    [InlineData("text", "specific")]
    [InlineData("image", "features")]
    [InlineData("text", "features")]
    public void Exported_encoder_matches_the_trained_torchsharp_network(string modality, string sharedInput)
    {
        var config = new Ms2GanConfig { SpecificHidden = [24], SpecificDim = 12, CommonHidden = [10], SharedDim = 8, Epochs = 2, BatchSize = 16, Threads = 1,
            SharedInput = sharedInput };
        var train = SyntheticData.Make(classes: 3, perClass: 20, imageDim: 16, textDim: 6, seed: 11);
        var test = SyntheticData.Make(classes: 3, perClass: 10, imageDim: 16, textDim: 6, seed: 12);
        var result = new Ms2GanTrainer(config, NullLogger.Instance).Train(train, 3);
        using var network = result.Network;
        var normalizer = modality == "image" ? result.ImageNormalizer : result.TextNormalizer;
        var features = modality == "image" ? test.Image : test.Text;

        var spec = network.ToEncoderSpec(modality, normalizer);
        Assert.Equal(sharedInput == "features", spec.SharedInput is not null);
        using var encoder = Encoders.FromSpec(spec);
        var onnx = encoder.Encode(features);

        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (specific, shared) = network.Encode(modality, Ms2GanTrainer.ToTensor(normalizer.Apply(features)));
        var torchSpecific = nn.functional.normalize(specific, p: 2, dim: 1).data<float>().ToArray();
        var torchShared = nn.functional.normalize(shared, p: 2, dim: 1).data<float>().ToArray();
        var torchProbabilities = network.Probabilities(specific, shared).data<float>().ToArray();

        Assert.InRange(MaxAbsDiff(torchSpecific, onnx.Specific.Values), 0, 1e-4);
        Assert.InRange(MaxAbsDiff(torchShared, onnx.Shared.Values), 0, 1e-4);
        Assert.NotNull(onnx.Probabilities);
        Assert.Equal(3, onnx.Probabilities.Columns);
        Assert.InRange(MaxAbsDiff(torchProbabilities, onnx.Probabilities.Values), 0, 1e-5);
    }

    [Fact]
    public void Exported_encoder_with_the_square_root_input_matches_the_trained_network()
    {
        // Non-negative features with normalization auto: the trainer takes the signed square root, and so must the graph.
        var config = new Ms2GanConfig { SpecificHidden = [24], SpecificDim = 12, CommonHidden = [10], SharedDim = 8, Epochs = 2, BatchSize = 16, Threads = 1,
            Normalization = "auto" };
        var train = SyntheticData.Make(classes: 3, perClass: 20, imageDim: 16, textDim: 6, seed: 13);
        var test = SyntheticData.Make(classes: 3, perClass: 10, imageDim: 16, textDim: 6, seed: 14);
        var result = new Ms2GanTrainer(config, NullLogger.Instance).Train(train, 3);
        using var network = result.Network;
        Assert.Equal(0.5, result.ImageNormalizer.Power);

        using var encoder = Encoders.FromSpec(network.ToEncoderSpec("image", result.ImageNormalizer));
        var onnx = encoder.Encode(test.Image);

        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (specific, _) = network.Encode("image", Ms2GanTrainer.ToTensor(result.ImageNormalizer.Apply(test.Image)));
        Assert.InRange(MaxAbsDiff(nn.functional.normalize(specific, p: 2, dim: 1).data<float>().ToArray(), onnx.Specific.Values), 0, 1e-4);
    }

    private static double MaxAbsDiff(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
    }
}
