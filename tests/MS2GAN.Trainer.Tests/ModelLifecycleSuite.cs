using MassTransit.Testing;
using MS2GAN.Contracts;
using MS2GAN.Model;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Inference;
using MS2GAN.Model.Registry;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Trainer.Tests;

/// <summary>
/// Retrain, the quality gate, the reindex and rollback on real stores, a real trainer and real ONNX encoders; run by
/// each vector store (<see cref="EmbeddedModelLifecycleTests"/>, <see cref="ElasticsearchModelLifecycleTests"/>).
/// </summary>
public abstract class ModelLifecycleSuite(TinyModelFixture model, Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The vector store under test, given the folder the embedded one would use; null for the embedded store.</summary>
    protected abstract Func<string, IVectorStore>? VectorStore { get; }

    private Task<LifecycleWorld> StartAsync(int perClass = 40, LifecycleOptions? options = null) =>
        LifecycleWorld.StartAsync(model.ModelDirectory, perClass, options, vectorStore: VectorStore);

    // Measured on these items: the tiny model scores a holdout mAP of 0.871, a candidate trained on the other 80% 0.843, one
    // that never learned 0.404. A tolerance of 0.05 promotes the first (margin 0.022) and rejects the second by far.
    private static readonly LifecycleOptions Gate = new() { Tolerance = 0.05 };

    [StoreFact]
    public async Task A_good_candidate_is_promoted_and_the_alias_moves_to_its_complete_index()
    {
        await using var world = await StartAsync(options: Gate);
        var v1 = world.Catalog.Active.Version;
        var request = Guid.NewGuid();

        var outcome = await world.Lifecycle.RetrainAsync(new RetrainModel("test", RequestId: request), default);

        Assert.True(outcome.Result == "promoted", $"{outcome.Result}: {outcome.Reason}");
        Assert.Equal(request, outcome.RequestId);
        var state = world.Registry.Read();
        var v2 = Assert.IsType<string>(state.Active);
        Assert.NotEqual(v1, v2);
        Assert.Null(state.Reindex);
        Assert.Equal(ModelStage.Previous, state.Find(v1)!.Stage);
        Assert.Equal(ModelStage.Active, state.Find(v2)!.Stage);
        output.WriteLine($"candidate holdout mAP {state.Find(v2)!.HoldoutMap:F4}, active {state.Find(v2)!.BaselineMap:F4}");
        Assert.True(state.Find(v2)!.HoldoutMap >= state.Find(v2)!.BaselineMap - Gate.Tolerance);

        // The served model is the judged one refit on all 160 items, the holdout included; the judged one is kept for the next gate.
        // Its configuration is the project's defaults, not the tiny active model's (5 epochs, small layers).
        var served = world.Catalog.Active.Model.Manifest;
        Assert.Equal(160, served.Training.RefitItems);
        Assert.Equal(NamedConfigurations.Compose(null).Epochs, served.Config.Epochs);
        Assert.NotEqual(world.Registry.Read().Find(v1)!.Directory, state.Find(v2)!.Directory);
        var gate = ModelFolder.Read(world.Registry.FullPath(Assert.IsType<string>(state.Find(v2)!.GateDirectory)));
        Assert.True(gate.Training.TestItems > 0);
        Assert.Equal(160, gate.Training.FitItems + gate.Training.ValidationItems + gate.Training.TestItems);
        Assert.Equal(gate.Training.BestEpoch, served.Training.BestEpoch);

        Assert.Equal(ServedModel.IndexNameFor(v2), await world.Vectors.GetAliasAsync(ModelCatalog.Alias));
        Assert.Equal(2L * 160, await world.Vectors.CountAsync(ServedModel.IndexNameFor(v2)));
        Assert.Equal(2L * 160, await world.Vectors.CountAsync(ServedModel.IndexNameFor(v1)));
        Assert.All(await world.AnswersAsync(), answer => Assert.Equal(v2, answer.Version));

        Assert.True(await world.Harness.Published.Any<ModelTrained>(m => m.Context.Message.RequestId == request && m.Context.Message.ModelVersion == v2));
        Assert.True(await world.Harness.Published.Any<ModelPromoted>(m => m.Context.Message.RequestId == request));
        Assert.True(await world.Harness.Published.Any<ReindexCompleted>(m => m.Context.Message.ModelVersion == v2 && m.Context.Message.PreviousVersion == v1));
    }

    [StoreFact]
    public async Task After_three_promotions_the_catalog_holds_at_most_the_active_and_the_previous_versions()
    {
        await using var world = await StartAsync();
        var versions = new List<string> { world.Catalog.Active.Version };
        for (var i = 0; i < 3; i++)
        {
            // Tolerance 1 promotes whatever the candidate scores: this is about what stays loaded, not about quality.
            var outcome = await world.Lifecycle.RetrainAsync(new RetrainModel("test", Epochs: 2, Tolerance: 1), default);
            Assert.True(outcome.Result == "promoted", $"{outcome.Result}: {outcome.Reason}");
            versions.Add(world.Catalog.Active.Version);
            Assert.All(await world.AnswersAsync(), answer => Assert.Equal(versions[^1], answer.Version));
        }

        var state = world.Registry.Read();
        Assert.Equal(versions[^1], state.Active);
        Assert.Equal(versions[^2], state.Previous!.Version);
        Assert.Subset(new HashSet<string> { versions[^1], versions[^2] }, world.Catalog.Loaded.ToHashSet());
        Assert.Contains(versions[^1], world.Catalog.Loaded);
        Assert.All(versions.Take(2), old => Assert.Equal(ModelStage.Retired, state.Find(old)!.Stage));
        // A retired version's folders go, the one the gate judged included.
        Assert.All(versions.Skip(1).Take(1).Select(old => state.Find(old)!), old =>
        {
            Assert.False(Directory.Exists(world.Registry.FullPath(old.Directory)));
            Assert.False(Directory.Exists(world.Registry.FullPath(Assert.IsType<string>(old.GateDirectory))));
        });
    }

    [StoreFact]
    public async Task A_worse_candidate_is_rejected_with_its_figures_and_nothing_changes()
    {
        await using var world = await StartAsync(options: Gate);
        var v1 = world.Catalog.Active.Version;
        var before = await world.AnswersAsync();

        // One epoch at a learning rate that moves nothing: the image and text encoders stay unaligned random networks.
        var outcome = await world.Lifecycle.RetrainAsync(new RetrainModel("test", Epochs: 1, ConfigJson: """{"learningRate":1e-9}"""), default);

        Assert.Equal("rejected", outcome.Result);
        Assert.Contains("below the active model's", outcome.Reason);
        var state = world.Registry.Read();
        Assert.Equal(v1, state.Active);
        var candidate = state.Find(outcome.Version!)!;
        Assert.Equal(ModelStage.Rejected, candidate.Stage);
        output.WriteLine($"candidate holdout mAP {candidate.HoldoutMap:F4}, active {candidate.BaselineMap:F4}");
        Assert.True(candidate.HoldoutMap < candidate.BaselineMap - Gate.Tolerance, $"{candidate.HoldoutMap} vs {candidate.BaselineMap}");
        Assert.False(Directory.Exists(world.Registry.FullPath(candidate.Directory)));
        Assert.Equal([ServedModel.IndexNameFor(v1)], (await world.Vectors.ListIndexesAsync()).Select(i => i.Name));
        Assert.Equal(before, await world.AnswersAsync());
        Assert.True(await world.Harness.Published.Any<ModelRejected>(m => m.Context.Message.ModelVersion == outcome.Version));
    }

    [StoreFact]
    public async Task Rollback_brings_back_the_previous_answers_exactly_and_keeps_items_added_meanwhile()
    {
        await using var world = await StartAsync(options: Gate);
        var v1 = world.Catalog.Active.Version;
        var before = await world.AnswersAsync("item");
        var promoted = await world.Lifecycle.RetrainAsync(new RetrainModel("test"), default);
        Assert.True(promoted.Result == "promoted", promoted.Reason);
        var during = await world.AnswersAsync();
        Assert.All(during, answer => Assert.Equal(promoted.Version, answer.Version));
        Assert.NotEqual(before, during);

        // Items added after the swap went to the new index only; the rollback brings the old one up to date.
        var late = await world.AddItemsAsync("late", perClass: 3, seed: 9);
        var outcome = await world.Lifecycle.RollbackAsync(new RollbackModel("test"), default);

        Assert.True(outcome.Result == "rolled-back", outcome.Reason);
        var state = world.Registry.Read();
        Assert.Equal(v1, state.Active);
        Assert.Equal(promoted.Version, state.Previous!.Version);
        Assert.Equal(ServedModel.IndexNameFor(v1), await world.Vectors.GetAliasAsync(ModelCatalog.Alias));
        Assert.Equal(2L * (160 + late.Count), await world.Vectors.CountAsync(ModelCatalog.Alias));
        // The same queries over the same items (the late ones filtered out) answer exactly as before the promotion.
        Assert.Equal(before, await world.AnswersAsync("item"));
        Assert.Contains(await world.AnswersAsync("late"), answer => answer.Answer.Contains("late-"));
    }

    [StoreFact]
    public async Task A_tolerance_given_with_the_command_replaces_the_configured_one()
    {
        await using var world = await StartAsync(perClass: 12, options: Gate);

        var invalid = await world.Lifecycle.RetrainAsync(new RetrainModel("test", Tolerance: 1.5), default);
        var forced = await world.Lifecycle.RetrainAsync(new RetrainModel("test", Epochs: 1, ConfigJson: """{"learningRate":1e-9}""", Tolerance: 1), default);

        Assert.Equal("rejected", invalid.Result);
        Assert.Equal("invalid overrides: tolerance must be between 0 and 1 (got 1.5)", invalid.Reason);
        Assert.True(forced.Result == "promoted", forced.Reason);
        Assert.Equal(forced.Version, world.Registry.Read().Active);
    }

    [StoreFact]
    public async Task Rollback_without_a_previous_version_is_rejected()
    {
        await using var world = await StartAsync(perClass: 12);

        var outcome = await world.Lifecycle.RollbackAsync(new RollbackModel("test"), default);

        Assert.Equal("rejected", outcome.Result);
        Assert.Equal("there is no previous model version to roll back to", outcome.Reason);
    }

    [StoreTheory]
    [InlineData("""{"epochs":0}""", null, "invalid overrides: the configuration overrides: epochs must be positive (got 0)")]
    [InlineData("""{"noSuchField":1}""", null, "invalid overrides: the configuration overrides: unknown field noSuchField")]
    [InlineData("[1, 2]", null, "invalid overrides: the configuration overrides: must be a JSON object")]
    [InlineData(null, "class-1", "hold a single class (class-1)")]
    [InlineData(null, "no-such-label", "too few labelled items: 0 items labelled no-such-label")]
    public async Task Invalid_commands_are_rejected_with_the_reason_and_the_active_model_is_untouched(string? config, string? label, string reason)
    {
        await using var world = await StartAsync(perClass: 12);
        var v1 = world.Catalog.Active.Version;
        var request = Guid.NewGuid();

        var outcome = await world.Lifecycle.RetrainAsync(new RetrainModel("test", ConfigJson: config, Labels: label is null ? null : [label], RequestId: request), default);

        Assert.Equal("rejected", outcome.Result);
        Assert.Contains(reason, outcome.Reason);
        Assert.Null(outcome.Version);
        Assert.Equal(v1, world.Registry.Read().Active);
        Assert.Single(world.Registry.Read().Models);
        Assert.False(Directory.Exists(Path.Combine(world.Registry.Root, "versions")) && Directory.EnumerateFileSystemEntries(Path.Combine(world.Registry.Root, "versions")).Any());
        Assert.True(await world.Harness.Published.Any<ModelRejected>(m => m.Context.Message.RequestId == request && m.Context.Message.Reason.Contains(reason)));
    }

    [StoreFact]
    public async Task Too_few_labelled_items_are_rejected()
    {
        await using var world = await StartAsync(perClass: 5);

        var outcome = await world.Lifecycle.RetrainAsync(new RetrainModel("test"), default);

        Assert.Equal("rejected", outcome.Result);
        Assert.Contains("too few labelled items: 20 labelled items", outcome.Reason);
    }

    [StoreFact]
    public async Task Two_retrains_at_once_run_one_after_the_other()
    {
        await using var world = await StartAsync(options: Gate);
        var v1 = world.Catalog.Active.Version;

        var first = world.Lifecycle.RetrainAsync(new RetrainModel("a"), default);
        var second = world.Lifecycle.RetrainAsync(new RetrainModel("b"), default);
        var outcomes = await Task.WhenAll(first, second);

        Assert.All(outcomes, o => Assert.True(o.Result == "promoted", o.Reason));
        // Had they overlapped, both would have been compared with (and reindexed from) version 1.
        var trained = world.Harness.Published.Select<ModelTrained>().Select(m => m.Context.Message).ToList();
        Assert.Equal(2, trained.Count);
        var ranFirst = trained.Single(t => t.BaselineVersion == v1);
        Assert.Contains(trained, t => t.BaselineVersion == ranFirst.ModelVersion);
        var state = world.Registry.Read();
        Assert.Equal(ModelStage.Retired, state.Find(v1)!.Stage);
        Assert.Null(await world.Vectors.GetIndexAsync(ServedModel.IndexNameFor(v1)));
        Assert.True(File.Exists(Path.Combine(model.ModelDirectory, "manifest.json")), "a model folder outside the registry is never deleted");
        Assert.Equal(2, (await world.Vectors.ListIndexesAsync()).Count);
    }
}
