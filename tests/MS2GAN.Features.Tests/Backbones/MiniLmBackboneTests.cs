using MS2GAN.Features.Backbones;
using Xunit.Abstractions;

namespace MS2GAN.Features.Tests.Backbones;

[Collection(BackboneCollection.Name)]
public sealed class MiniLmBackboneTests(BackboneFixture fixture, ITestOutputHelper output)
{
    private readonly MiniLmBackbone _miniLm = fixture.MiniLm;

    [Fact]
    public void Embeddings_have_384_dimensions_and_unit_norm()
    {
        var matrix = _miniLm.Embed(["a red circle with white dots", "", "Ünïcödé téxt and CAPITALS"]);

        Assert.Equal(384, _miniLm.Dim);
        Assert.Equal((3, 384), (matrix.Rows, matrix.Columns));
        for (var i = 0; i < matrix.Rows; i++)
        {
            Assert.All(matrix.Row(i).ToArray(), v => Assert.True(float.IsFinite(v)));
            Assert.InRange(Vectors.Norm(matrix.Row(i)), 0.9999, 1.0001);
        }
    }

    [Fact]
    public void A_dog_photo_is_closer_to_a_puppy_picture_than_to_a_tax_report()
    {
        var dog = _miniLm.Embed("a photo of a dog");
        var puppy = _miniLm.Embed("a picture of a puppy");
        var tax = _miniLm.Embed("quarterly tax report spreadsheet");

        var related = Vectors.Cosine(dog, puppy);
        var unrelated = Vectors.Cosine(dog, tax);

        output.WriteLine($"cosine(dog, puppy) = {related:F4}, cosine(dog, tax report) = {unrelated:F4}");
        // Measured: 0.821 and 0.004; asserted: a gap of at least 0.3.
        Assert.True(related > unrelated + 0.3, $"related {related:F4} vs unrelated {unrelated:F4}");
    }

    [Fact]
    public void Reproduces_the_similarity_matrix_published_by_sentence_transformers()
    {
        // The example in the sentence-transformers README (UKPLab/sentence-transformers) for this model.
        // Matching it to 1e-3 checks the whole path: tokenizer, model, mean pooling, normalisation.
        var embeddings = _miniLm.Embed(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]);
        double[,] published = { { 1.0, 0.6660, 0.1046 }, { 0.6660, 1.0, 0.1411 }, { 0.1046, 0.1411, 1.0 } };

        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                var cosine = Vectors.Cosine(embeddings.Row(i), embeddings.Row(j));
                output.WriteLine($"similarity[{i}][{j}] = {cosine:F4} (published {published[i, j]:F4})");
                Assert.InRange(cosine, published[i, j] - 1e-3, published[i, j] + 1e-3);
            }
        }
    }

    [Fact]
    public void Casing_does_not_change_the_embedding_because_the_model_is_uncased()
    {
        Assert.InRange(Vectors.MaxAbsDiff(_miniLm.Embed("A Photo Of A DOG"), _miniLm.Embed("a photo of a dog")), 0, 1e-6);
    }

    [Fact]
    public void Batching_and_padding_do_not_change_the_embeddings()
    {
        string[] texts =
        [
            "short",
            "a considerably longer sentence about a cyan ring drawn near the bottom of a pale frame",
            "a medium one about stars",
            "",
            "another sentence, with punctuation; and numbers 42!",
        ];

        var batched = _miniLm.Embed(texts, batchSize: 4);

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.InRange(Vectors.MaxAbsDiff(batched.Row(i), _miniLm.Embed(texts[i])), 0, 1e-5);
        }
    }

    [Fact]
    public void Texts_longer_than_the_token_limit_are_truncated_rather_than_refused()
    {
        var text = string.Join(' ', Enumerable.Repeat("apple", 400));

        var truncated = _miniLm.Embed(text);
        var withMoreAfterTheLimit = _miniLm.Embed(text + " banana cherry quarterly tax report");

        Assert.Equal(256, _miniLm.MaxTokens);
        Assert.Equal(truncated, withMoreAfterTheLimit);
    }

    [Fact]
    public void Progress_counts_the_texts_done_after_each_batch()
    {
        var reports = new List<int>();

        _miniLm.Embed(Enumerable.Range(0, 5).Select(i => $"text number {i}").ToArray(), batchSize: 2, new Progress(reports));

        // One report per batch (2 + 2 + 1) of the texts done so far; the lanes may finish the short last batch first.
        Assert.Equal(3, reports.Count);
        Assert.Equal(5, reports[^1]);
        Assert.True(reports.SequenceEqual(reports.Order()) && reports.Distinct().Count() == 3, $"progress {string.Join(", ", reports)} is not increasing");
    }

    private sealed class Progress(List<int> reports) : IProgress<int>
    {
        public void Report(int value) => reports.Add(value);
    }
}
