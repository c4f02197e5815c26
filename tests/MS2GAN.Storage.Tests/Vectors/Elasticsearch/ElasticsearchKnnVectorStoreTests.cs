using MS2GAN.Storage.Vectors;
using MS2GAN.Storage.Vectors.Elasticsearch;
using MS2GAN.TestSupport;

namespace MS2GAN.Storage.Tests.Vectors.Elasticsearch;

/// <summary>
/// The conformance suite against a live Elasticsearch in kNN mode. HNSW candidates may miss true neighbours, so ranking
/// is checked by recall (at least 90% of the reference top k), with every returned score exact.
/// Skipped, saying why, when ELASTICSEARCH_URL is unset.
/// </summary>
[NeedsEnvironmentVariable(LiveElasticsearch.Variable, LiveElasticsearch.Why)]
public sealed class ElasticsearchKnnVectorStoreTests() : ElasticsearchConformanceTests(ElasticsearchSearchMode.Knn)
{
    protected override void AssertRanking(IReadOnlyList<ReferenceHit> reference, IReadOnlyList<VectorHit> actual, int k) =>
        RecallRanking.AssertRecall(reference, actual, k, ScoreTolerance);
}
