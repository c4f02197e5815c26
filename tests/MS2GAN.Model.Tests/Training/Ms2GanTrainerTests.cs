using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Model.Tests.Support;
using MS2GAN.Model.Training;
using Xunit.Abstractions;

namespace MS2GAN.Model.Tests.Training;

[Collection(TorchTrainingCollection.Name)]
public sealed class Ms2GanTrainerTests(ITestOutputHelper output)
{
    private static readonly Ms2GanConfig Small = new()
    {
        SpecificHidden = [32], SpecificDim = 16, CommonHidden = [16], SharedDim = 16, DiscriminatorHidden = 16,
        Epochs = 12, BatchSize = 32, Seed = 3, Threads = 1, LearningRate = 1e-3, Dropout = 0.2, WeightDecay = 1e-4,
    };

    [Fact]
    public void A_short_run_on_generated_data_beats_chance_by_a_wide_margin()
    {
        var train = SyntheticData.Make(classes: 4, perClass: 60, imageDim: 16, textDim: 6, seed: 1, noise: 0.6);
        var test = SyntheticData.Make(classes: 4, perClass: 20, imageDim: 16, textDim: 6, seed: 2, noise: 0.6);
        var result = new Ms2GanTrainer(Small, NullLogger.Instance).Train(train, 4);
        using var network = result.Network;
        using var image = Ms2GanTrainer.ToTensor(result.ImageNormalizer.Apply(test.Image));
        using var text = Ms2GanTrainer.ToTensor(result.TextNormalizer.Apply(test.Text));
        var report = Ms2GanTrainer.Evaluate(network, image, text, test.Labels).Report(result.Validation.Weights);
        output.WriteLine($"test mAP joint {report.Joint.Avg:F4} (i2t {report.Joint.I2T:F4}, t2i {report.Joint.T2I:F4}), shared {report.Shared.Avg:F4}, specific {report.Specific.Avg:F4}");

        // Chance: with 4 balanced classes a random ranking scores about 0.27 on 80 items.
        // Measured on this machine: 0.758 (seed 3). The threshold leaves a margin of 0.14 below that
        // and is still 0.35 above chance.
        Assert.True(report.Joint.Avg >= 0.62, $"joint mAP {report.Joint.Avg:F4} is not clearly above chance (0.27)");
        Assert.Equal(Small.Epochs, result.History.Count);
        Assert.InRange(result.BestEpoch, 1, Small.Epochs);
    }

    [Fact]
    public void The_same_seed_trains_the_same_model()
    {
        var train = SyntheticData.Make(classes: 3, perClass: 20, imageDim: 8, textDim: 4, seed: 5);
        var config = Small with { Epochs = 3 };
        var first = new Ms2GanTrainer(config, NullLogger.Instance).Train(train, 3);
        var second = new Ms2GanTrainer(config, NullLogger.Instance).Train(train, 3);
        using var a = first.Network;
        using var b = second.Network;
        Assert.Equal(first.History.Select(h => h.GeneratorLoss), second.History.Select(h => h.GeneratorLoss));
        Assert.Equal(first.Validation.Joint.Avg, second.Validation.Joint.Avg);
    }

    [Fact]
    public void Invalid_settings_are_refused_before_training()
    {
        var train = SyntheticData.Make(classes: 2, perClass: 10, imageDim: 4, textDim: 3, seed: 1);
        var ex = Assert.Throws<ConfigException>(() => new Ms2GanTrainer(Small with { BatchSize = -1, Dropout = 1.5, SharedInput = "raw" }, NullLogger.Instance).Train(train, 2));
        Assert.Contains("batchSize", ex.Message);
        Assert.Contains("dropout", ex.Message);
        Assert.Contains("sharedInput", ex.Message);
    }
}
