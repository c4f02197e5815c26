using MS2GAN.Contracts;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Items;

namespace MS2GAN.Trainer.Tests;

/// <summary>
/// A reindex interrupted by a crash resumes from its checkpoint, misses nothing ingested meanwhile, and does not undo a
/// delete or a replacement that raced one of its pages.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class ReindexResumeTests(TinyModelFixture model)
{
    private const int PageSize = 16;

    [Fact]
    public async Task A_reindex_killed_half_way_resumes_after_its_checkpoint_and_the_new_index_holds_every_item_once()
    {
        PageHookItemStore? pages = null;
        await using var world = await LifecycleWorld.StartAsync(model.ModelDirectory,
            options: new LifecycleOptions { Tolerance = 0.05, ReindexBatchSize = PageSize },
            wrapItems: inner => pages = new PageHookItemStore(inner, PageSize, (call, page) => call == 4
                ? throw new IOException($"simulated crash of the trainer after reading the page after {page[0].Id}")
                : Task.CompletedTask));
        var v1 = world.Catalog.Active.Version;
        var before = await world.AnswersAsync("item");

        // The trainer "dies" reading the fourth page: three pages (48 items) are written and checkpointed.
        var crashed = await world.Lifecycle.RetrainAsync(new RetrainModel("test", ConfigJson: SyntheticClusters.TinyConfigJson(15)), default);
        Assert.Equal("failed", crashed.Result);
        Assert.Contains("simulated crash", crashed.Reason);
        var interrupted = world.Registry.Read().Reindex;
        Assert.NotNull(interrupted);
        Assert.Equal(3 * PageSize, interrupted.Done);
        Assert.Equal(pages!.AfterIds[3], interrupted.AfterId);
        var v2 = interrupted.Version;

        // Meanwhile search still answers from version 1, and items ingested now are written to both indexes.
        Assert.Equal(before, await world.AnswersAsync("item"));
        Assert.All(before, answer => Assert.Equal(v1, answer.Version));
        var late = await world.AddItemsAsync("late", perClass: 2, seed: 11);
        Assert.Equal(2L * late.Count, (await world.Vectors.SearchAsync(ServedModel.IndexNameFor(v2), AllOf(world, "late"))).Count);

        // A restarted trainer picks the reindex up at its checkpoint, not at the beginning.
        var completed = await world.NewReindexer().ResumeAsync(default);

        Assert.NotNull(completed);
        Assert.Equal(v2, completed.ModelVersion);
        Assert.Equal(interrupted.AfterId, pages.AfterIds[4]);
        Assert.Equal(ServedModel.IndexNameFor(v2), await world.Vectors.GetAliasAsync(ModelCatalog.Alias));
        Assert.Equal(v2, world.Registry.Read().Active);
        Assert.Null(world.Registry.Read().Reindex);
        var all = await world.Vectors.SearchAsync(ModelCatalog.Alias, AllOf(world, null));
        Assert.Equal(2 * (160 + late.Count), all.Count);
        Assert.Equal(all.Count, all.Select(hit => (hit.ItemId, hit.Modality)).Distinct().Count());
    }

    [Fact]
    public async Task An_item_deleted_or_replaced_while_its_page_is_encoded_ends_up_deleted_or_with_its_new_content()
    {
        LifecycleWorld? racing = null;
        ItemRecord? replacement = null;
        await using var world = await LifecycleWorld.StartAsync(model.ModelDirectory,
            options: new LifecycleOptions { Tolerance = 0.05, ReindexBatchSize = PageSize },
            wrapItems: inner => new PageHookItemStore(inner, PageSize, async (call, page) =>
            {
                if (call != 2)
                {
                    return;
                }
                // Right after the reindex read its second page, an ingest replaces one item of it and deletes another,
                // and the encoder writes the new content to both indexes (as it does while a reindex runs).
                await inner.DeleteAsync(page[0].Id);
                var old = page[1];
                replacement = old with
                {
                    ImageFeatures = [.. old.ImageFeatures!.Select(v => -v)],
                    TextFeatures = [.. old.TextFeatures!.Select(v => -v)],
                    ContentHash = old.ContentHash + "-replaced",
                };
                await inner.UpsertAsync(replacement);
                await racing!.Encoder.EncodeAsync([old.Id]);
            }));
        racing = world;

        var outcome = await world.Lifecycle.RetrainAsync(new RetrainModel("test", ConfigJson: SyntheticClusters.TinyConfigJson(15)), default);

        Assert.True(outcome.Result == "promoted", outcome.Reason);
        var all = await world.Vectors.SearchAsync(ModelCatalog.Alias, AllOf(world, null));
        Assert.Equal(2 * (160 - 1), all.Count);
        var v2 = world.Catalog.Active;
        var encoded = v2.Model.Encode("image", new MS2GAN.Features.Data.FeatureMatrix(replacement!.ImageFeatures!, 1, replacement.ImageFeatures!.Length));
        var self = await world.Vectors.SearchAsync(ModelCatalog.Alias, new MS2GAN.Storage.Vectors.VectorQuery(
            encoded.Specific.Values, encoded.Shared.Values, 0.5, 0.5, "image", 1));
        Assert.Equal(replacement.Id, self.Single().ItemId);
        Assert.True(self.Single().Score > 0.9999, $"the replaced item's vectors are not its new content's (score {self.Single().Score})");
    }

    private static MS2GAN.Storage.Vectors.VectorQuery AllOf(LifecycleWorld world, string? batch)
    {
        var model = world.Catalog.Active.Model.Manifest;
        var probe = Enumerable.Repeat(1f, model.SpecificDim).ToArray();
        var shared = Enumerable.Repeat(1f, model.SharedDim).ToArray();
        return new MS2GAN.Storage.Vectors.VectorQuery(probe, shared, 0.5, 0.5, "any", 1000, 0, null,
            batch is null ? null : new Dictionary<string, string> { ["batch"] = batch }, null);
    }
}
