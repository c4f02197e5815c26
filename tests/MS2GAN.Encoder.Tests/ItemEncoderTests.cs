using MS2GAN.Encoder;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Encoder.Tests;

public sealed class ItemEncoderTests(IndexedCorpusFixture corpus) : IClassFixture<IndexedCorpusFixture>
{
    [Fact]
    public async Task Every_ingested_item_is_indexed_in_both_modalities_with_the_model_version()
    {
        Assert.Equal(corpus.Test.Count, corpus.FirstOutcome.Indexed.Count);
        Assert.Empty(corpus.FirstOutcome.Failed);
        Assert.True(await corpus.Vectors.CountAsync(corpus.Active.IndexName) >= 2 * corpus.Test.Count);
        var item = await corpus.Items.GetAsync(IndexedCorpusFixture.Id(0));
        Assert.Equal(ItemState.Indexed, item!.State);
        Assert.Equal(corpus.Active.Version, item.ModelVersion);
    }

    [Fact]
    public async Task Encoding_the_same_items_again_indexes_each_once()
    {
        var ids = new[] { IndexedCorpusFixture.Id(1), IndexedCorpusFixture.Id(2), IndexedCorpusFixture.Id(1) };
        var before = await corpus.Vectors.CountAsync(corpus.Active.IndexName);
        var outcome = await corpus.Encoder.EncodeAsync(ids);
        Assert.Equal(2, outcome.Indexed.Count);
        Assert.Equal(before, await corpus.Vectors.CountAsync(corpus.Active.IndexName));
    }

    [Fact]
    public async Task A_bad_item_is_marked_failed_and_does_not_hold_up_its_batch()
    {
        var good = corpus.Record(3, corpus.Test.Image.Row(3).ToArray(), null, id: "good-in-bad-batch");
        var bad = corpus.Record(4, new float[IndexedCorpusFixture.ImageDim + 1], null, id: "wrong-dims");
        await corpus.Items.UpsertManyAsync([good, bad]);
        var outcome = await corpus.Encoder.EncodeAsync([good.Id, bad.Id, "never-ingested"]);

        Assert.Equal(["image"], outcome.Indexed[good.Id]);
        Assert.Contains("13 dimensions", outcome.Failed[bad.Id]);
        Assert.Equal(["never-ingested"], outcome.Missing);
        var stored = await corpus.Items.GetAsync(bad.Id);
        Assert.Equal(ItemState.Failed, stored!.State);
        Assert.Contains("13 dimensions", stored.FailureReason);
    }

    [Fact]
    public async Task An_item_the_vector_store_refuses_is_marked_failed_with_its_reason_and_the_rest_are_indexed()
    {
        var refused = corpus.Record(5, corpus.Test.Image.Row(5).ToArray(), corpus.Test.Text.Row(5).ToArray(), id: "refused-by-store");
        var kept = corpus.Record(6, corpus.Test.Image.Row(6).ToArray(), corpus.Test.Text.Row(6).ToArray(), id: "kept-beside-refused");
        await corpus.Items.UpsertManyAsync([refused, kept]);
        var encoder = corpus.NewEncoder(new RefusingVectorStore(corpus.Vectors, refused.Id));

        var outcome = await encoder.EncodeAsync([refused.Id, kept.Id]);

        Assert.Equal([kept.Id], outcome.Indexed.Keys);
        Assert.Contains(RefusingVectorStore.Reason, outcome.Failed[refused.Id], StringComparison.Ordinal);
        var stored = await corpus.Items.GetAsync(refused.Id);
        Assert.Equal(ItemState.Failed, stored!.State);
        Assert.Contains(RefusingVectorStore.Reason, stored.FailureReason, StringComparison.Ordinal);
        Assert.Equal(ItemState.Indexed, (await corpus.Items.GetAsync(kept.Id))!.State);
    }

    [Fact]
    public async Task The_encoder_writes_the_active_index_but_never_points_the_search_alias()
    {
        // A store no one has pointed the alias in yet: the trainer's job, never the encoder's.
        using var folder = new TempFolder();
        using var fresh = new EmbeddedVectorStore(new EmbeddedVectorStoreOptions { RootDirectory = folder.Path });
        var item = corpus.Record(8, corpus.Test.Image.Row(8).ToArray(), null, id: "alias-untouched");
        await corpus.Items.UpsertManyAsync([item]);

        var outcome = await corpus.NewEncoder(fresh).EncodeAsync([item.Id]);

        Assert.Equal(["image"], outcome.Indexed[item.Id]);
        Assert.Equal(1, await fresh.CountAsync(corpus.Active.IndexName));
        Assert.Null(await fresh.GetAliasAsync(ModelCatalog.Alias));
    }
}
