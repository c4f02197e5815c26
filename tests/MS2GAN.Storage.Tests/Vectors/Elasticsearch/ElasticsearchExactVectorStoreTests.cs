using MS2GAN.Storage.Vectors;
using MS2GAN.Storage.Vectors.Elasticsearch;
using MS2GAN.TestSupport;

namespace MS2GAN.Storage.Tests.Vectors.Elasticsearch;

/// <summary>
/// The conformance suite against a live Elasticsearch in exact mode (script_score): the same ranking as the brute-force
/// reference, and so as the embedded exact store. Skipped, saying why, when ELASTICSEARCH_URL is unset.
/// </summary>
[NeedsEnvironmentVariable(LiveElasticsearch.Variable, LiveElasticsearch.Why)]
public sealed class ElasticsearchExactVectorStoreTests() : ElasticsearchConformanceTests(ElasticsearchSearchMode.Exact)
{
    [StoreFact]
    public async Task Ranks_exactly_like_the_embedded_exact_store()
    {
        var (store, index, records) = await SeededAsync(500);
        using var embedded = new EmbeddedStoreFixture();
        var reference = embedded.Create(root => new EmbeddedVectorStoreOptions { RootDirectory = root });
        await reference.CreateIndexAsync(new IndexDefinition("same", SpecificDim, SharedDim, null));
        await reference.UpsertAsync("same", records);

        var random = new Random(31);
        foreach (var (target, ws, wc) in new[] { (VectorModalities.Any, 0.5, 0.5), (VectorModalities.Image, 1.0, 0.0), (VectorModalities.Text, 0.3, 0.7) })
        {
            var query = new VectorQuery(
                VectorCorpus.RandomVector(random, SpecificDim), VectorCorpus.RandomVector(random, SharedDim), ws, wc, target, 20);
            var expected = await reference.SearchAsync("same", query);
            var actual = await store.SearchAsync(index, query);
            AssertRanking([.. expected.Select(h => new ReferenceHit(h.ItemId, h.Modality, h.Score))], actual, query.K);
        }
    }
}
