using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MS2GAN.Contracts;
using MS2GAN.Encoder;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Items;

namespace MS2GAN.Encoder.Tests;

/// <summary>The encoder's consumer on MassTransit's test harness, over the fixture's real model and stores.</summary>
public sealed class ItemsIngestedConsumerTests(IndexedCorpusFixture corpus) : IClassFixture<IndexedCorpusFixture>, IAsyncLifetime
{
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddSingleton(corpus.NewEncoder(corpus.Vectors))
            .AddSingleton(Options.Create(new EncoderOptions { BatchSize = 8, BatchTimeLimitMs = 50 }))
            .AddMassTransitTestHarness(bus => bus.AddConsumer<ItemsIngestedConsumer, ItemsIngestedConsumerDefinition>())
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task A_single_item_and_a_chunk_are_the_same_message_and_each_item_is_announced_indexed_once()
    {
        var single = await StoreAsync("one-alone", 0);
        var chunk = new[] { await StoreAsync("chunk-a", 1), await StoreAsync("chunk-b", 2), await StoreAsync("chunk-c", 3) };

        await _harness.Bus.Publish(new ItemsIngested([Entry(single)]));
        await _harness.Bus.Publish(new ItemsIngested([.. chunk.Select(Entry)]));

        foreach (var item in chunk.Prepend(single))
        {
            Assert.True(await _harness.Published.Any<ItemIndexed>(m => m.Context.Message.ItemId == item.Id), $"{item.Id} was not announced");
            Assert.Equal(ItemState.Indexed, (await corpus.Items.GetAsync(item.Id))!.State);
        }
        Assert.Single(_harness.Published.Select<ItemIndexed>(m => m.Context.Message.ItemId == single.Id));
        Assert.True(await _harness.Consumed.Any<ItemsIngested>());
    }

    [Fact]
    public async Task An_entry_whose_content_hash_the_item_no_longer_has_is_skipped_as_superseded()
    {
        var item = await StoreAsync("replaced-since", 4);
        var stale = Entry(item) with { ContentHash = new string('0', 64) };
        var before = await corpus.Vectors.CountAsync(corpus.Active.IndexName);

        await _harness.Bus.Publish(new ItemsIngested([stale]));

        Assert.True(await _harness.Consumed.Any<ItemsIngested>(m => m.Context.Message.Items.Any(entry => entry.ItemId == item.Id)));
        await _harness.InactivityTask;
        Assert.False(await _harness.Published.Any<ItemIndexed>(m => m.Context.Message.ItemId == item.Id));
        Assert.False(await _harness.Published.Any<ItemIndexingFailed>(m => m.Context.Message.ItemId == item.Id));
        Assert.Equal(ItemState.Ingested, (await corpus.Items.GetAsync(item.Id))!.State);
        Assert.Equal(before, await corpus.Vectors.CountAsync(corpus.Active.IndexName));
    }

    private async Task<ItemRecord> StoreAsync(string id, int row)
    {
        var record = corpus.Record(row, corpus.Test.Image.Row(row).ToArray(), corpus.Test.Text.Row(row).ToArray(), id: id);
        await corpus.Items.UpsertAsync(record);
        return (await corpus.Items.GetAsync(id))!;
    }

    private static IngestedItem Entry(ItemRecord item) =>
        new(item.Id, item.ContentHash, HasImage: false, HasText: false, HasImageFeatures: true, HasTextFeatures: true, DateTimeOffset.UtcNow);
}
