using MS2GAN.Pipeline;
using MS2GAN.Storage.Items;
using MS2GAN.TestSupport;
using Xunit.Abstractions;

namespace MS2GAN.Search.Tests;

/// <summary>
/// Items ingested without labels, encoded by the real encoder: the active model's auto-label is recorded on each, shown
/// in the item view, and filters searches by a minimum confidence. A fixture of its own: the unlabelled items are extra.
/// </summary>
public sealed class AutoLabelTests(IndexedCorpusFixture corpus, ITestOutputHelper output) : IClassFixture<IndexedCorpusFixture>, IAsyncLifetime
{
    private const int PerClass = 25;

    private List<ItemRecord> _unlabelled = [];

    public async Task InitializeAsync()
    {
        if (await corpus.Items.GetAsync(Id(0)) is not null)
        {
            _unlabelled = [.. await corpus.Items.GetManyAsync(Enumerable.Range(0, PerClass * IndexedCorpusFixture.Classes).Select(Id))];
            return;
        }

        // Unseen items of the same classes, without labels; the class is kept in metadata to score the auto-labels. A
        // third carry only an image, a third only text, the rest both.
        var split = SyntheticClusters.Split(PerClass, seed: 7);
        var records = Enumerable.Range(0, split.Count).Select(row => corpus.Record(
            0, row % 3 == 1 ? null : split.Image.Row(row).ToArray(), row % 3 == 2 ? null : split.Text.Row(row).ToArray(), Id(row)) with
        {
            Labels = [],
            Metadata = new Dictionary<string, string> { ["truth"] = $"class-{split.Labels[row]}" },
        }).ToList();
        await corpus.Items.UpsertManyAsync(records);
        await corpus.Encoder.EncodeAsync(records.Select(r => r.Id).ToList());
        _unlabelled = [.. await corpus.Items.GetManyAsync(records.Select(r => r.Id))];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Id(int row) => $"unlabelled-{row:D4}";

    [Fact]
    public async Task Items_without_labels_get_auto_labels_that_beat_chance_and_labelled_items_get_none()
    {
        Assert.All(_unlabelled, item => Assert.Equal(ItemState.Indexed, item.State));
        Assert.All(_unlabelled, item => Assert.InRange(item.AutoLabel!.Confidence, 0, 1));
        var accuracy = _unlabelled.Average(item => item.AutoLabel!.Label == item.Metadata["truth"] ? 1.0 : 0.0);
        output.WriteLine($"auto-label accuracy on {_unlabelled.Count} unseen items: {accuracy:F3} (chance 0.25)");
        // Chance is 0.25 (4 balanced classes). Measured on this machine: 0.910; the bar 0.6 keeps a margin of 0.31 below it.
        Assert.True(accuracy >= 0.6, $"auto-label accuracy {accuracy:F3}");

        var labelled = await corpus.Items.GetAsync(IndexedCorpusFixture.Id(0));
        Assert.Null(labelled!.AutoLabel);
        var view = ItemView.From(_unlabelled[0]);
        Assert.Equal(_unlabelled[0].AutoLabel, view.AutoLabel);
    }

    [Fact]
    public async Task An_auto_label_filter_returns_every_item_at_or_above_the_confidence_and_no_other()
    {
        var confidences = _unlabelled.Where(i => i.AutoLabel!.Label == "class-1").Select(i => i.AutoLabel!.Confidence).Order().ToList();
        var threshold = confidences[confidences.Count / 2];
        var expected = _unlabelled.Where(i => i.AutoLabel is { Label: "class-1" } a && a.Confidence >= threshold)
            .Select(i => i.Id).Order(StringComparer.Ordinal).ToList();

        var response = await corpus.Search.SearchAsync(new SearchRequest
        {
            Query = new SearchQuery(null, null, null, corpus.Test.Text.Row(1).ToArray(), "text"),
            Target = "any",
            K = 1000,
            Filter = new SearchFilter(null, null, "class-1", threshold),
        });

        Assert.All(response.Hits, h => Assert.True(h.AutoLabel is { Label: "class-1" } a && a.Confidence >= threshold - 1e-6, $"{h.Id}: {h.AutoLabel}"));
        Assert.Equal(expected, response.Hits.Select(h => h.Id).Distinct().Order(StringComparer.Ordinal));
        Assert.True(expected.Count >= 2 && expected.Count < _unlabelled.Count / 2);
    }

    [Theory]
    [InlineData(null, 0.5, "filter.minConfidence")]
    [InlineData("class-1", 1.5, "filter.minConfidence")]
    [InlineData("class-1", -0.1, "filter.minConfidence")]
    [InlineData(" ", null, "filter.autoLabel")]
    public async Task A_bad_auto_label_filter_is_refused_naming_its_field(string? autoLabel, double? minConfidence, string field)
    {
        var error = await Assert.ThrowsAsync<SearchRequestException>(() => corpus.Search.SearchAsync(new SearchRequest
        {
            Query = new SearchQuery(null, null, null, corpus.Test.Text.Row(1).ToArray(), "text"),
            Filter = new SearchFilter(null, null, autoLabel, minConfidence),
        }));

        Assert.Equal((field, 400), (error.Field, error.StatusCode));
    }
}
