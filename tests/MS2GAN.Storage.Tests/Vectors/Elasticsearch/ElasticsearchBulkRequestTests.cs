using MS2GAN.Storage.Vectors;
using MS2GAN.Storage.Vectors.Elasticsearch;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Tests.Vectors.Elasticsearch;

/// <summary>Bulk upserts and deletes: NDJSON shape, batching, refresh, retries of 429/5xx items and reports of the rest.</summary>
public sealed class ElasticsearchBulkRequestTests
{
    private const string Physical = "ms2gan-vectors-v1";

    [Fact]
    public async Task Upsert_sends_one_index_action_and_one_normalised_document_per_record()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", $"/{Physical}/_mapping", 200, ElasticsearchAnswers.Mapping(Physical, 2, 2))
            .On("POST", $"/{Physical}/_bulk", 200, ElasticsearchAnswers.Bulk("index", ("a:image", 201, null), ("a:text", 201, null)));
        var store = es.Store(new ElasticsearchVectorStoreOptions { Refresh = ElasticsearchRefresh.WaitFor });
        var metadata = new Dictionary<string, string> { ["source"] = "s1" };

        await store.UpsertAsync("v1",
        [
            new VectorRecord("a", VectorModalities.Image, [3, 4], [0, 2], ["l1", "l2"], metadata),
            new VectorRecord("a", VectorModalities.Text, [1, 0], [1, 1], [], new Dictionary<string, string>()),
        ]);

        var bulk = Assert.Single(es.To("POST", $"/{Physical}/_bulk"));
        Assert.Equal($"/{Physical}/_bulk?refresh=wait_for", bulk.Path);
        Assert.StartsWith("application/vnd.elasticsearch+x-ndjson", bulk.ContentType);
        Assert.EndsWith("\n", bulk.Body);
        var lines = bulk.Lines;
        Assert.Equal(4, lines.Length);
        Assert.Equal("a:image", lines[0]["index"]!["_id"]!.GetValue<string>());
        Assert.Equal("a:text", lines[2]["index"]!["_id"]!.GetValue<string>());
        var document = lines[1];
        Assert.Equal("a", document["item_id"]!.GetValue<string>());
        Assert.Equal("image", document["modality"]!.GetValue<string>());
        Assert.Equal(["l1", "l2"], document["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("s1", document["metadata"]!["source"]!.GetValue<string>());
        Assert.Equal([0.6f, 0.8f], document["specific"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal([0f, 1f], document["shared"]!.AsArray().Select(v => v!.GetValue<float>()));
    }

    [Fact]
    public async Task Records_are_sent_in_batches_of_the_configured_size()
    {
        using var es = Scripted().On("POST", $"/{Physical}/_bulk", request =>
            (200, ElasticsearchAnswers.Bulk("index", [.. request.Lines.Where((_, i) => i % 2 == 0).Select(l => (l["index"]!["_id"]!.GetValue<string>(), 201, (string?)null))])));
        var store = es.Store(new ElasticsearchVectorStoreOptions { BatchSize = 2 });

        await store.UpsertAsync("v1", VectorCorpus.Records(3, 16, 8, 1));

        Assert.Equal([2, 2, 1], es.To("POST", $"/{Physical}/_bulk").Select(r => r.Lines.Length / 2));
        Assert.All(es.To("POST", $"/{Physical}/_bulk"), r => Assert.EndsWith("?refresh=false", r.Path));
    }

    [Fact]
    public async Task A_partial_failure_retries_only_the_429_item_and_reports_the_400_item_with_its_reason()
    {
        var attempt = 0;
        using var es = Scripted().On("POST", $"/{Physical}/_bulk", request => ++attempt == 1
            ? (200, ElasticsearchAnswers.Bulk("index",
                ("item-0000:image", 201, null),
                ("item-0001:image", 429, "es_rejected_execution_exception"),
                ("item-0001:text", 400, "document_parsing_exception")))
            : (200, ElasticsearchAnswers.Bulk("index", ("item-0001:image", 201, null))));
        var store = es.Store();
        var records = VectorCorpus.Records(2, 16, 8, 1);

        var error = await Assert.ThrowsAsync<ElasticsearchBulkException>(() => store.UpsertAsync("v1", records));

        var bulks = es.To("POST", $"/{Physical}/_bulk").ToList();
        Assert.Equal(2, bulks.Count);
        Assert.Equal(["item-0001:image"], bulks[1].Lines.Where((_, i) => i % 2 == 0).Select(l => l["index"]!["_id"]!.GetValue<string>()));
        var failure = Assert.Single(error.Failures);
        Assert.Equal(new BulkItemFailure("item-0001:text", 400, "document_parsing_exception", "reason for item-0001:text"), failure);
        Assert.Contains("item-0001:text", error.Message);
        Assert.Contains("document_parsing_exception", error.Message);
    }

    [Fact]
    public async Task An_item_refused_with_429_on_every_retry_is_reported_not_dropped()
    {
        using var es = Scripted().On("POST", $"/{Physical}/_bulk", 200,
            ElasticsearchAnswers.Bulk("index", ("item-0000:image", 429, "es_rejected_execution_exception")));
        var store = es.Store(new ElasticsearchVectorStoreOptions { MaxRetries = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });

        var error = await Assert.ThrowsAsync<ElasticsearchBulkException>(
            () => store.UpsertAsync("v1", [VectorCorpus.Records(1, 16, 8, 1)[0]]));

        Assert.Equal(4, es.To("POST", $"/{Physical}/_bulk").Count());
        Assert.Equal(429, Assert.Single(error.Failures).Status);
    }

    [Fact]
    public async Task A_whole_request_answered_503_is_retried_with_back_off_then_succeeds()
    {
        var attempt = 0;
        using var es = Scripted().On("POST", $"/{Physical}/_bulk", request => ++attempt < 3
            ? (503, ElasticsearchAnswers.Error("cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]", 503))
            : (200, ElasticsearchAnswers.Bulk("index", ("item-0000:image", 201, null))));
        var store = es.Store();

        await store.UpsertAsync("v1", [VectorCorpus.Records(1, 16, 8, 1)[0]]);

        Assert.Equal(3, es.To("POST", $"/{Physical}/_bulk").Count());
    }

    [Fact]
    public async Task A_request_error_that_is_not_transient_is_thrown_at_once_with_its_type()
    {
        using var es = Scripted().On("POST", $"/{Physical}/_bulk", 400, ElasticsearchAnswers.Error("illegal_argument_exception", "Malformed action/metadata line [1]", 400));

        var error = await Assert.ThrowsAsync<ElasticsearchRequestException>(() => es.Store().UpsertAsync("v1", [VectorCorpus.Records(1, 16, 8, 1)[0]]));

        Assert.Single(es.To("POST", $"/{Physical}/_bulk"));
        Assert.Equal(400, error.Status);
        Assert.Equal("illegal_argument_exception", error.ErrorType);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Invalid_records_are_refused_before_anything_is_sent()
    {
        using var es = Scripted();
        var good = VectorCorpus.Records(1, 16, 8, 1)[0];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => es.Store().UpsertAsync("v1", [good, good with { ItemId = "short", Shared = new float[3] }]));

        Assert.Contains("short", error.Message);
        Assert.Empty(es.To("POST", "/"));
    }

    [Fact]
    public async Task Delete_item_deletes_both_modality_documents_and_counts_those_found()
    {
        using var es = Scripted().On("POST", $"/{Physical}/_bulk", 200, ElasticsearchAnswers.Bulk("delete", ("a:image", 200, null), ("a:text", 404, null)));

        Assert.Equal(1, await es.Store().DeleteItemAsync("v1", "a"));

        var lines = Assert.Single(es.To("POST", $"/{Physical}/_bulk")).Lines;
        Assert.Equal(["a:image", "a:text"], lines.Select(l => l["delete"]!["_id"]!.GetValue<string>()));
    }

    private static ScriptedElasticsearch Scripted() =>
        new ScriptedElasticsearch().On("GET", $"/{Physical}/_mapping", 200, ElasticsearchAnswers.Mapping(Physical, 16, 8));
}
