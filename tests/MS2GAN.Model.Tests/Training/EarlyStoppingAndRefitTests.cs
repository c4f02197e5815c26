using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Features.Data;
using MS2GAN.Model.Evaluation;
using MS2GAN.Model.Tests.Support;
using MS2GAN.Model.Training;

namespace MS2GAN.Model.Tests.Training;

[Collection(TorchTrainingCollection.Name)]
public sealed class EarlyStoppingAndRefitTests
{
    private static readonly Ms2GanConfig Small = new()
    {
        SpecificHidden = [32], SpecificDim = 16, CommonHidden = [16], SharedDim = 16, DiscriminatorHidden = 16,
        Epochs = 300, Patience = 4, BatchSize = 32, Seed = 3, Threads = 1, LearningRate = 1e-3, Dropout = 0.2, WeightDecay = 1e-4,
    };

    [Fact]
    public void Early_stopping_ends_the_run_patience_epochs_after_the_best_and_keeps_the_best_epoch()
    {
        var train = SyntheticData.Make(classes: 4, perClass: 40, imageDim: 16, textDim: 6, seed: 1, noise: 1.2);

        var result = new Ms2GanTrainer(Small, NullLogger.Instance).Train(train, 4);
        using var network = result.Network;

        // A cap of 300 epochs on 160 easy pairs: validation stops improving long before it.
        Assert.True(result.History.Count < Small.Epochs, $"ran all {result.History.Count} epochs");
        Assert.Equal(result.BestEpoch + Small.Patience, result.History.Count);
        Assert.True(result.History[result.BestEpoch - 1].IsBest);
        var best = result.History[result.BestEpoch - 1].ValidationMap;
        Assert.All(result.History, e => Assert.True(e.ValidationMap <= best, $"epoch {e.Epoch} scored {e.ValidationMap} above the kept {best}"));
        // The network handed back is the best epoch's: scored again on the same validation items it gives the same figure.
        Assert.Equal(best, Rescore(network, result, train), 6);
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch_of_the_weight_average_too()
    {
        var train = SyntheticData.Make(classes: 4, perClass: 40, imageDim: 16, textDim: 6, seed: 1, noise: 1.2);
        var config = Small with { AverageEpochs = 3, SameClassMix = 0.5 };

        var result = new Ms2GanTrainer(config, NullLogger.Instance).Train(train, 4);
        using var network = result.Network;

        Assert.Equal(result.BestEpoch + config.Patience, result.History.Count);
        Assert.Equal(result.History[result.BestEpoch - 1].ValidationMap, Rescore(network, result, train), 6);
    }

    [Fact]
    public void A_refit_trains_on_every_item_for_exactly_the_epochs_asked()
    {
        var items = SyntheticData.Make(classes: 3, perClass: 30, imageDim: 12, textDim: 5, seed: 4);

        var fitted = new Ms2GanTrainer(Small, NullLogger.Instance).Fit(items, 3, epochs: 7);
        using var network = fitted.Network;

        Assert.Equal(7, fitted.History.Count);
        Assert.Equal(items.Count, fitted.Items);
        Assert.All(fitted.History, e => Assert.True(double.IsNaN(e.ValidationMap)));
        // The normalisation is fitted on all the items (a selection run fits it on 85% of them).
        Assert.Equal(FeatureNormalizer.Fit(items.Image, Small.Normalization).Mean, fitted.ImageNormalizer.Mean);
    }

    [Fact]
    public void The_model_builder_refits_on_all_training_items_for_the_chosen_epochs_when_asked()
    {
        using var folder = new TempFolder();
        var train = SyntheticData.Make(classes: 3, perClass: 30, imageDim: 12, textDim: 5, seed: 6);
        var test = SyntheticData.Make(classes: 3, perClass: 10, imageDim: 12, textDim: 5, seed: 7);
        var dataset = new FeatureDataset(folder.Path, train, test, 3, DatasetInfo.Default(folder.Path));

        var manifest = new Ms2GanModelBuilder(NullLogger.Instance).Build(dataset, Small with { Refit = true }, folder.Combine("model"));

        Assert.Equal(train.Count, manifest.Training.RefitItems);
        Assert.Equal(manifest.Training.BestEpoch, manifest.Training.RefitEpochs);
        Assert.True(manifest.Training.FitItems < train.Count);
        Assert.NotNull(manifest.Metrics.Test);
        Assert.Equal(FeatureNormalizer.Fit(train.Image, Small.Normalization).Mean, manifest.ImageNormalization.Mean);
    }

    // The selection score (joint at 0.5 / 0.5) of a network on the trainer's own validation split of these items.
    private static double Rescore(Network.Ms2GanNetwork network, TrainingResult result, FeatureSplit train)
    {
        var split = ValidationSplit.Stratified(train.Labels, Small.ValidationFraction, Small.Seed);
        using var image = Ms2GanTrainer.ToTensor(result.ImageNormalizer.Apply(train.Image.SelectRows(split.Validation)));
        using var text = Ms2GanTrainer.ToTensor(result.TextNormalizer.Apply(train.Text.SelectRows(split.Validation)));
        return Ms2GanTrainer.Evaluate(network, image, text, split.Validation.Select(i => train.Labels[i]).ToArray())
            .Evaluate(Ms2GanTrainer.SelectionWeights).Avg;
    }
}
