using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Contracts;
using MS2GAN.Features.Data;
using MS2GAN.Model;

namespace MS2GAN.Trainer.Tests;

/// <summary>A retrain through the lifecycle (item store, gate, refit, reindex) against the same code run offline on the same items.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class RetrainQualityTests(TinyModelFixture model, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task A_retrain_with_the_defaults_scores_within_0_04_of_offline_training_on_the_same_items()
    {
        await using var world = await LifecycleWorld.StartAsync(model.ModelDirectory, perClass: 40);
        // The world's 160 items (seed 5) and, for both models, 80 items neither trained on (seed 8).
        var items = SyntheticClusters.Split(perClass: 40, seed: 5);
        var unseen = SyntheticClusters.Split(perClass: 20, seed: 8);

        var outcome = await world.Lifecycle.RetrainAsync(new RetrainModel("test", Tolerance: 1), default);
        Assert.True(outcome.Result == "promoted", $"{outcome.Result}: {outcome.Reason}");
        var retrained = world.Catalog.Active.Model.Evaluate(unseen).Joint.Avg;

        using var folder = new TempFolder();
        var offline = folder.File("offline");
        new Ms2GanModelBuilder(NullLogger.Instance).Build(
            new FeatureDataset(folder.Path, items, unseen, SyntheticClusters.Classes, DatasetInfo.Default(folder.Path)), NamedConfigurations.Compose(null), offline);
        using var offlineModel = world.Catalog.Open(offline);
        var offlineMap = offlineModel.Model.Evaluate(unseen).Joint.Avg;

        output.WriteLine($"unseen items: retrain {retrained:F4}, offline {offlineMap:F4}");
        // Measured on the 2-core development machine (2026-12-02, one run): retrain 0.9586, offline 0.9782, a gap of 0.0196
        // (the retrain picks its epochs on 80% of the items, offline on all). The margin 0.04 leaves as much again for CPUs
        // and seeds, which move mAP about 0.01.
        Assert.True(retrained >= offlineMap - 0.04, $"retrain {retrained:F4} against offline {offlineMap:F4}");
    }
}
