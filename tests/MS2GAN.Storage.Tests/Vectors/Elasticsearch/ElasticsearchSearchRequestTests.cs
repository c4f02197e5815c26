using System.Text.Json.Nodes;
using MS2GAN.Storage.Vectors;
using MS2GAN.Storage.Vectors.Elasticsearch;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Tests.Vectors.Elasticsearch;

/// <summary>Searches: the kNN and exact (script_score) bodies, filters, pagination, and reading hits and errors.</summary>
public sealed class ElasticsearchSearchRequestTests
{
    private const string Physical = "ms2gan-vectors-v1";

    private static readonly VectorQuery Filtered = new(
        [3, 4], [0, 2], 0.25, 0.75, VectorModalities.Image, 10, Offset: 20,
        AnyOfLabels: ["l3", "l7"], Metadata: new Dictionary<string, string> { ["source"] = "s2" }, ExcludeItemId: "self");

    [Fact]
    public async Task Knn_search_puts_the_filters_inside_one_knn_query_per_field_and_rescores_the_union_exactly()
    {
        using var es = Scripted(ElasticsearchSearchMode.Knn, out var store);

        await store.SearchAsync("v1", Filtered);

        var body = Assert.Single(es.To("POST", $"/{Physical}/_search")).Json;
        Assert.Equal(20, body["from"]!.GetValue<int>());
        Assert.Equal(10, body["size"]!.GetValue<int>());
        Assert.True(body["track_scores"]!.GetValue<bool>());
        var scriptScore = body["query"]!["script_score"]!;
        var candidates = scriptScore["query"]!["bool"]!;
        Assert.Equal(1, candidates["minimum_should_match"]!.GetValue<int>());
        var knns = candidates["should"]!.AsArray().Select(c => c!["knn"]!).ToList();
        Assert.Equal(["specific", "shared"], knns.Select(k => k["field"]!.GetValue<string>()));
        Assert.Equal([0.6f, 0.8f], knns[0]["query_vector"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal([0f, 1f], knns[1]["query_vector"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.All(knns, k => Assert.Equal(100, k["num_candidates"]!.GetValue<int>()));
        Assert.All(knns, k => Assert.Equal(100, k["k"]!.GetValue<int>()));
        Assert.All(knns, k => AssertFilter(k["filter"]!));
        AssertFilter(candidates["filter"]![0]!);
        AssertScript(scriptScore["script"]!);
        AssertSort(body);
    }

    [Fact]
    public async Task Exact_search_is_a_script_score_over_the_filters_alone()
    {
        using var es = Scripted(ElasticsearchSearchMode.Exact, out var store);

        await store.SearchAsync("v1", Filtered);

        var body = Assert.Single(es.To("POST", $"/{Physical}/_search")).Json;
        var scriptScore = body["query"]!["script_score"]!;
        AssertFilter(scriptScore["query"]!);
        Assert.DoesNotContain("knn", body.ToJsonString());
        AssertScript(scriptScore["script"]!);
        AssertSort(body);
    }

    [Fact]
    public async Task An_auto_label_filter_is_a_term_on_its_label_and_a_range_on_its_confidence_and_hits_carry_the_auto_label()
    {
        var answer = JsonNode.Parse(ElasticsearchAnswers.Search(("b", "text", 1.75, ["l1"])))!;
        answer["hits"]!["hits"]![0]!["_source"]!["auto_label"] = new JsonObject { ["label"] = "cat", ["confidence"] = 0.875 };
        using var es = new ScriptedElasticsearch()
            .On("GET", $"/{Physical}/_mapping", 200, ElasticsearchAnswers.Mapping(Physical, 2, 2))
            .On("POST", $"/{Physical}/_search", 200, answer.ToJsonString());

        var hits = await es.Store(new ElasticsearchVectorStoreOptions { Mode = ElasticsearchSearchMode.Exact }).SearchAsync(
            "v1", new VectorQuery([1, 0], [1, 0], 0.5, 0.5, VectorModalities.Any, 2, AutoLabel: "cat", MinAutoLabelConfidence: 0.8));

        var body = Assert.Single(es.To("POST", $"/{Physical}/_search")).Json;
        var clauses = body["query"]!["script_score"]!["query"]!["bool"]!["filter"]!.AsArray();
        Assert.Equal("cat", clauses[0]!["term"]!["auto_label.label"]!.GetValue<string>());
        Assert.Equal(0.8, clauses[1]!["range"]!["auto_label.confidence"]!["gte"]!.GetValue<double>());
        Assert.Contains("auto_label", body["_source"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(new MS2GAN.Storage.AutoLabel("cat", 0.875), Assert.Single(hits).AutoLabel);
    }

    [Fact]
    public async Task A_zero_weight_drops_its_knn_query_and_its_script_term()
    {
        using var es = Scripted(ElasticsearchSearchMode.Knn, out var store);

        await store.SearchAsync("v1", new VectorQuery([], [1, 1], 0, 1, VectorModalities.Any, 5));

        var scriptScore = Assert.Single(es.To("POST", $"/{Physical}/_search")).Json["query"]!["script_score"]!;
        Assert.Equal(["shared"], scriptScore["query"]!["bool"]!["should"]!.AsArray().Select(c => c!["knn"]!["field"]!.GetValue<string>()));
        Assert.Null(scriptScore["query"]!["bool"]!["filter"]);
        Assert.Equal("params.wc * dotProduct(params.qc, 'shared') + params.offset", scriptScore["script"]!["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Num_candidates_grows_to_cover_offset_plus_k()
    {
        using var es = Scripted(ElasticsearchSearchMode.Knn, out var store);

        await store.SearchAsync("v1", new VectorQuery([1, 0], [1, 0], 0.5, 0.5, VectorModalities.Any, 100, Offset: 200));

        var knn = Assert.Single(es.To("POST", $"/{Physical}/_search")).Json["query"]!["script_score"]!["query"]!["bool"]!["should"]![0]!["knn"]!;
        Assert.Equal(300, knn["num_candidates"]!.GetValue<int>());
        Assert.Equal(300, knn["k"]!.GetValue<int>());
    }

    [Fact]
    public async Task Hits_are_read_from_a_documented_response_with_the_score_offset_taken_off()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", $"/{Physical}/_mapping", 200, ElasticsearchAnswers.Mapping(Physical, 2, 2))
            .On("POST", $"/{Physical}/_search", 200, ElasticsearchAnswers.Search(("b", "text", 1.75, ["l1"]), ("a", "image", 1.5, ["l1", "l2"])));

        var hits = await es.Store().SearchAsync("v1", new VectorQuery([1, 0], [1, 0], 0.5, 0.5, VectorModalities.Any, 2));

        Assert.Equal([("b", "text"), ("a", "image")], hits.Select(h => (h.ItemId, h.Modality)));
        Assert.Equal([0.75, 0.5], hits.Select(h => h.Score));
        Assert.Equal(["l1", "l2"], hits[1].Labels);
        Assert.Equal("s1", hits[1].Metadata["source"]);
    }

    [Fact]
    public async Task A_query_with_the_wrong_dimensions_is_refused_before_it_is_sent()
    {
        using var es = Scripted(ElasticsearchSearchMode.Knn, out var store);

        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync("v1", new VectorQuery(new float[3], [1, 0], 0.5, 0.5, VectorModalities.Any, 3)));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync("v1", new VectorQuery([1, 0], [1, 0], 0.5, 0.5, "audio", 3)));

        Assert.Empty(es.To("POST", "/"));
    }

    [Fact]
    public async Task A_search_error_response_is_thrown_with_its_type_and_reason()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", $"/{Physical}/_mapping", 200, ElasticsearchAnswers.Mapping(Physical, 2, 2))
            .On("POST", $"/{Physical}/_search", 400, ElasticsearchAnswers.Error("search_phase_execution_exception", "all shards failed", 400));

        var error = await Assert.ThrowsAsync<ElasticsearchRequestException>(
            () => es.Store().SearchAsync("v1", new VectorQuery([1, 0], [1, 0], 0.5, 0.5, VectorModalities.Any, 3)));

        Assert.Equal("search_phase_execution_exception", error.ErrorType);
        Assert.Equal("all shards failed", error.Reason);
        Assert.Contains("HTTP 400", error.Message);
    }

    [Fact]
    public async Task Count_reads_the_count_of_a_documented_response()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", $"/{Physical}/_count", 200, """{"count":37,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""");

        Assert.Equal(37, await es.Store().CountAsync("v1"));
    }

    private static ScriptedElasticsearch Scripted(ElasticsearchSearchMode mode, out ElasticsearchVectorStore store)
    {
        var es = new ScriptedElasticsearch()
            .On("GET", $"/{Physical}/_mapping", 200, ElasticsearchAnswers.Mapping(Physical, 2, 2))
            .On("POST", $"/{Physical}/_search", 200, ElasticsearchAnswers.Search());
        store = es.Store(new ElasticsearchVectorStoreOptions { Mode = mode });
        return es;
    }

    private static void AssertFilter(JsonNode filter)
    {
        var clauses = filter["bool"]!["filter"]!.AsArray();
        Assert.Equal("image", clauses[0]!["term"]!["modality"]!.GetValue<string>());
        Assert.Equal(["l3", "l7"], clauses[1]!["terms"]!["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("s2", clauses[2]!["term"]!["metadata.source"]!.GetValue<string>());
        Assert.Equal("self", filter["bool"]!["must_not"]![0]!["term"]!["item_id"]!.GetValue<string>());
    }

    private static void AssertScript(JsonNode script)
    {
        Assert.Equal(
            "params.ws * dotProduct(params.qs, 'specific') + params.wc * dotProduct(params.qc, 'shared') + params.offset",
            script["source"]!.GetValue<string>());
        Assert.Equal(0.25, script["params"]!["ws"]!.GetValue<double>());
        Assert.Equal(0.75, script["params"]!["wc"]!.GetValue<double>());
        Assert.Equal(1.0, script["params"]!["offset"]!.GetValue<double>());
        Assert.Equal([0.6f, 0.8f], script["params"]!["qs"]!.AsArray().Select(v => v!.GetValue<float>()));
    }

    private static void AssertSort(JsonNode body) =>
        Assert.Equal(
            """[{"_score":"desc"},{"item_id":"asc"},{"modality":"asc"}]""",
            body["sort"]!.ToJsonString());
}
