using MS2GAN.Encoder;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Items;

namespace MS2GAN.Search.Tests;

public sealed class ItemEncoderTests(IndexedCorpusFixture corpus) : IClassFixture<IndexedCorpusFixture>
{
    [Fact]
    public async Task Every_ingested_item_is_indexed_in_both_modalities_with_the_model_version()
    {
        Assert.Equal(corpus.Test.Count, corpus.FirstOutcome.Indexed.Count);
        Assert.Empty(corpus.FirstOutcome.Failed);
        Assert.True(await corpus.Vectors.CountAsync(ModelCatalog.Alias) >= 2 * corpus.Test.Count);
        var item = await corpus.Items.GetAsync(IndexedCorpusFixture.Id(0));
        Assert.Equal(ItemState.Indexed, item!.State);
        Assert.Equal(corpus.Active.Version, item.ModelVersion);
    }

    [Fact]
    public async Task Encoding_the_same_items_again_indexes_each_once()
    {
        var ids = new[] { IndexedCorpusFixture.Id(1), IndexedCorpusFixture.Id(2), IndexedCorpusFixture.Id(1) };
        var before = await corpus.Vectors.CountAsync(ModelCatalog.Alias);
        var outcome = await corpus.Encoder.EncodeAsync(ids);
        Assert.Equal(2, outcome.Indexed.Count);
        Assert.Equal(before, await corpus.Vectors.CountAsync(ModelCatalog.Alias));
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
        var encoder = new ItemEncoder(
            corpus.Items, corpus.Media, new RefusingVectorStore(corpus.Vectors, refused.Id), corpus.Catalog, corpus.Backbones,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ItemEncoder>.Instance);

        var outcome = await encoder.EncodeAsync([refused.Id, kept.Id]);

        Assert.Equal([kept.Id], outcome.Indexed.Keys);
        Assert.Contains(RefusingVectorStore.Reason, outcome.Failed[refused.Id], StringComparison.Ordinal);
        var stored = await corpus.Items.GetAsync(refused.Id);
        Assert.Equal(ItemState.Failed, stored!.State);
        Assert.Contains(RefusingVectorStore.Reason, stored.FailureReason, StringComparison.Ordinal);
        Assert.Equal(ItemState.Indexed, (await corpus.Items.GetAsync(kept.Id))!.State);
    }
}
