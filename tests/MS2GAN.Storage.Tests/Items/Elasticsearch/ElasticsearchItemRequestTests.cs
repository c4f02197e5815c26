using MS2GAN.Storage.Elasticsearch;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Items.Elasticsearch;
using MS2GAN.Storage.Tests.Vectors.Elasticsearch;

using static MS2GAN.Storage.Tests.Items.Elasticsearch.ItemAnswers;

namespace MS2GAN.Storage.Tests.Items.Elasticsearch;

/// <summary>What the Elasticsearch item store sends, and how it reads documented answers, errors included.</summary>
public sealed class ElasticsearchItemRequestTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 10, 0, TimeSpan.Zero);

    [Fact]
    public async Task Puts_the_items_template_and_creates_the_index_once_before_the_first_operation()
    {
        using var es = Scripted().On("PUT", $"/{ItemsIndex}", 400, ElasticsearchAnswers.Error("resource_already_exists_exception", "index [ms2gan-items] already exists", 400))
            .On("POST", $"/{ItemsIndex}/_mget", 200, MultiGet(("a", null, 0, 0)));
        var store = Store(es);

        Assert.Null(await store.GetAsync("a"));
        Assert.Null(await store.GetAsync("a"));

        var template = Assert.Single(es.To("PUT", "/_index_template/"));
        Assert.Equal("/_index_template/ms2gan-items", template.Path);
        Assert.Equal(["ms2gan-items"], template.Json["index_patterns"]!.AsArray().Select(p => p!.GetValue<string>()));
        var properties = template.Json["template"]!["mappings"]!["properties"]!;
        Assert.Equal("binary", properties["image_features"]!["type"]!.GetValue<string>());
        Assert.Equal("flattened", properties["metadata"]!["type"]!.GetValue<string>());
        Assert.Equal("keyword", properties["state"]!["type"]!.GetValue<string>());
        Assert.False(properties["text"]!["index"]!.GetValue<bool>());
        Assert.Single(es.To("PUT", $"/{ItemsIndex}"));
        Assert.Equal(2, es.To("POST", $"/{ItemsIndex}/_mget").Count());
    }

    [Fact]
    public void The_embedded_items_template_is_the_file_in_infra()
    {
        var file = RepositoryFolder.File(Path.Combine("infra", "elasticsearch", "items-index-template.json"));
        using var stream = typeof(ElasticsearchItemStore).Assembly.GetManifestResourceStream(IndexTemplate.Items)!;
        using var reader = new StreamReader(stream);

        Assert.Equal(File.ReadAllText(file), reader.ReadToEnd());
    }

    [Fact]
    public async Task Upsert_reads_the_hashes_then_creates_new_ids_and_replaces_changed_ones_only_if_unchanged_since()
    {
        using var es = Scripted()
            .On("POST", $"/{ItemsIndex}/_mget", 200, MultiGet(("a", null, 0, 0), ("b", "hash-b", 3, 1), ("c", "old", 7, 2)))
            .On("POST", $"/{ItemsIndex}/_bulk", 200, ElasticsearchAnswers.Bulk("index", ("a", 201, null), ("c", 200, null)));
        var store = Store(es, new ElasticsearchItemStoreOptions { Refresh = ElasticsearchRefresh.WaitFor, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });

        var outcomes = await store.UpsertManyAsync([Item("a", "hash-a"), Item("b", "hash-b"), Item("c", "new"), Item("a", "hash-a")]);

        Assert.Equal([UpsertOutcome.Created, UpsertOutcome.Unchanged, UpsertOutcome.Replaced, UpsertOutcome.Unchanged], outcomes);
        var mget = Assert.Single(es.To("POST", $"/{ItemsIndex}/_mget"));
        Assert.Equal($"/{ItemsIndex}/_mget?_source_includes=content_hash,created_at", mget.Path);
        Assert.Equal(["a", "b", "c"], mget.Json["ids"]!.AsArray().Select(i => i!.GetValue<string>()));
        var bulk = Assert.Single(es.To("POST", $"/{ItemsIndex}/_bulk"));
        Assert.Equal($"/{ItemsIndex}/_bulk?refresh=wait_for", bulk.Path);
        var lines = bulk.Lines;
        Assert.Equal(4, lines.Length);
        Assert.Equal("""{"create":{"_id":"a"}}""", lines[0].ToJsonString());
        Assert.Equal("""{"index":{"_id":"c","if_seq_no":7,"if_primary_term":2}}""", lines[2].ToJsonString());
        var replaced = lines[3];
        Assert.Equal("new", replaced["content_hash"]!.GetValue<string>());
        Assert.Equal("ingested", replaced["state"]!.GetValue<string>());
        Assert.Null(replaced["model_version"]);
        // The creation time is kept from the stored document; the update time is now.
        Assert.Equal("2025-03-01T12:00:00.0000000Z", replaced["created_at"]!.GetValue<string>());
        Assert.Equal("2025-03-01T12:10:00.0000000Z", replaced["updated_at"]!.GetValue<string>());
        Assert.Equal("2025-03-01T12:10:00.0000000Z", lines[1]["created_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_version_conflict_makes_the_item_be_read_and_decided_again()
    {
        var reads = 0;
        using var es = Scripted()
            .On("POST", $"/{ItemsIndex}/_mget", _ => ++reads == 1
                ? (200, MultiGet(("a", null, 0, 0)))
                : (200, MultiGet(("a", "hash-a", 12, 1))))
            .On("POST", $"/{ItemsIndex}/_bulk", 200, ElasticsearchAnswers.Bulk("create", ("a", 409, "version_conflict_engine_exception")));
        var store = Store(es);

        // Another writer created the same content in between: the second read finds it, nothing more is written.
        Assert.Equal(UpsertOutcome.Unchanged, await store.UpsertAsync(Item("a", "hash-a")));

        Assert.Equal(2, es.To("POST", $"/{ItemsIndex}/_mget").Count());
        Assert.Single(es.To("POST", $"/{ItemsIndex}/_bulk"));
    }

    [Fact]
    public async Task A_refused_item_is_reported_with_its_reason()
    {
        using var es = Scripted()
            .On("POST", $"/{ItemsIndex}/_mget", 200, MultiGet(("a", null, 0, 0), ("b", null, 0, 0)))
            .On("POST", $"/{ItemsIndex}/_bulk", 200, ElasticsearchAnswers.Bulk("create", ("a", 201, null), ("b", 400, "document_parsing_exception")));
        var store = Store(es);

        var error = await Assert.ThrowsAsync<ElasticsearchItemWriteException>(() => store.UpsertManyAsync([Item("a", "h"), Item("b", "h")]));

        var failure = Assert.Single(error.Failures);
        Assert.Equal(("b", 400, "document_parsing_exception"), (failure.Id, failure.Status, failure.ErrorType));
    }

    [Fact]
    public async Task An_invalid_item_sends_nothing()
    {
        using var es = Scripted();

        await Assert.ThrowsAsync<ArgumentException>(() => Store(es).UpsertManyAsync([Item("ok", "h"), Item("../bad", "h")]));

        Assert.Empty(es.Requests);
    }

    [Fact]
    public async Task Gets_many_with_one_real_time_mget_in_the_order_asked()
    {
        using var es = Scripted().On("POST", $"/{ItemsIndex}/_mget", 200, MultiGet(("c", "hc", 1, 1), ("missing", null, 0, 0), ("a", "ha", 2, 1)));

        var found = await Store(es).GetManyAsync(["c", "missing", "a", "c"]);

        Assert.Equal(["c", "a"], found.Select(i => i.Id));
        var mget = Assert.Single(es.To("POST", $"/{ItemsIndex}/_mget"));
        Assert.Equal($"/{ItemsIndex}/_mget", mget.Path);
        Assert.Equal(["c", "missing", "a"], mget.Json["ids"]!.AsArray().Select(i => i!.GetValue<string>()));
        var c = found[0];
        Assert.Equal([1f, -2f], c.ImageFeatures!);
        Assert.Equal(("hc", ItemState.Ingested, "resnet18-512"), (c.ContentHash, c.State, c.ImageFeatureSpace));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 12, 5, 0, TimeSpan.Zero), c.UpdatedAt);
        Assert.Equal("v", c.Metadata["k"]);
    }

    [Fact]
    public async Task Caches_features_with_a_script_that_compares_the_content_hash_on_the_shard()
    {
        using var es = Scripted()
            .On("POST", $"/{ItemsIndex}/_update/a", 200, Updated("a", "updated"))
            .On("POST", $"/{ItemsIndex}/_update/b", 200, Updated("b", "noop"))
            .On("POST", $"/{ItemsIndex}/_update/gone", 404, DocumentMissing("gone"));
        var store = Store(es);

        Assert.True(await store.SetCachedFeaturesAsync("a", "hash-1", [1f, -2f], "resnet18-512", null, null));
        Assert.False(await store.SetCachedFeaturesAsync("b", "hash-1", [1f], "resnet18-512", null, null));
        Assert.False(await store.SetCachedFeaturesAsync("gone", "hash-1", [1f], "resnet18-512", null, null));

        var update = es.To("POST", $"/{ItemsIndex}/_update/a").Single();
        Assert.Equal($"/{ItemsIndex}/_update/a?refresh=false&retry_on_conflict=5", update.Path);
        var script = update.Json["script"]!;
        Assert.Equal("painless", script["lang"]!.GetValue<string>());
        Assert.Contains("ctx._source.content_hash != params.expected", script["source"]!.GetValue<string>());
        Assert.Contains("ctx.op = 'noop'", script["source"]!.GetValue<string>());
        Assert.Equal("hash-1", script["params"]!["expected"]!.GetValue<string>());
        Assert.Equal("AACAPwAAAMA=", script["params"]!["image"]!.GetValue<string>());
        Assert.Null(script["params"]!["text"]);
    }

    [Fact]
    public async Task Marks_indexed_with_partial_updates_in_one_bulk_counting_only_existing_items()
    {
        using var es = Scripted().On("POST", $"/{ItemsIndex}/_bulk", 200,
            ElasticsearchAnswers.Bulk("update", ("a", 200, null), ("b", 200, null), ("unknown", 404, "document_missing_exception")));

        Assert.Equal(2, await Store(es).MarkIndexedAsync(["a", "b", "unknown"], "model-7"));

        var lines = Assert.Single(es.To("POST", $"/{ItemsIndex}/_bulk")).Lines;
        Assert.Equal("""{"update":{"_id":"a","retry_on_conflict":5}}""", lines[0].ToJsonString());
        Assert.Equal("""{"doc":{"state":"indexed","failure_reason":null,"model_version":"model-7","updated_at":"2025-03-01T12:10:00.0000000Z"}}""", lines[1].ToJsonString());
    }

    [Fact]
    public async Task Marks_failed_with_one_partial_update_and_says_false_for_an_unknown_item()
    {
        using var es = Scripted()
            .On("POST", $"/{ItemsIndex}/_update/c", 200, Updated("c", "updated"))
            .On("POST", $"/{ItemsIndex}/_update/unknown", 404, DocumentMissing("unknown"));
        var store = Store(es);

        Assert.True(await store.MarkFailedAsync("c", "image does not decode"));
        Assert.False(await store.MarkFailedAsync("unknown", "x"));

        var doc = es.To("POST", $"/{ItemsIndex}/_update/c").Single().Json["doc"]!;
        Assert.Equal(("failed", "image does not decode"), (doc["state"]!.GetValue<string>(), doc["failure_reason"]!.GetValue<string>()));
        Assert.Null(doc["model_version"]);
    }

    [Fact]
    public async Task Counts_by_state_with_a_terms_aggregation_and_fills_in_missing_states()
    {
        using var es = Scripted().On("POST", $"/{ItemsIndex}/_search", 200, StateCounts(("indexed", 2), ("ingested", 1)));

        var counts = await Store(es).CountByStateAsync();

        Assert.Equal([(ItemState.Ingested, 1L), (ItemState.Indexed, 2L), (ItemState.Failed, 0L)], Enum.GetValues<ItemState>().Select(s => (s, counts[s])));
        var search = Assert.Single(es.To("POST", $"/{ItemsIndex}/_search")).Json;
        Assert.Equal(0, search["size"]!.GetValue<int>());
        Assert.Equal("state", search["aggs"]!["states"]!["terms"]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Counts_labels_with_a_terms_aggregation_over_the_items_that_are_not_failed()
    {
        const string answer = """
            {"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"max_score":null,"hits":[]},
             "aggregations":{"labelled":{"doc_count":3},
                             "labels":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"cat","doc_count":2},{"key":"pet","doc_count":1}]}}}
            """;
        using var es = Scripted().On("POST", $"/{ItemsIndex}/_search", 200, answer);

        var counts = await Store(es).CountLabelsAsync();

        Assert.Equal(3, counts.LabelledItems);
        Assert.Equal((2L, 1L), (counts.ByLabel["cat"], counts.ByLabel["pet"]));
        var search = Assert.Single(es.To("POST", $"/{ItemsIndex}/_search")).Json;
        Assert.Equal("failed", search["query"]!["bool"]!["must_not"]![0]!["term"]!["state"]!.GetValue<string>());
        Assert.Equal("labels", search["aggs"]!["labels"]!["terms"]!["field"]!.GetValue<string>());
        Assert.Equal("labels", search["aggs"]!["labelled"]!["filter"]!["exists"]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lists_with_search_after_on_the_id_keyword()
    {
        using var es = Scripted().On("POST", $"/{ItemsIndex}/_search", request =>
            (200, request.Json["_source"]!.GetValue<bool>() ? Hits(true, "d") : Hits(false, "c", "d")));
        var store = Store(es);

        Assert.Equal(["c", "d"], await store.ListIdsAsync("b", 3));
        Assert.Equal(["d"], (await store.ListAsync(ItemState.Indexed, "c", 2)).Select(i => i.Id));

        var searches = es.To("POST", $"/{ItemsIndex}/_search").Select(r => r.Json).ToList();
        Assert.Equal("""[{"id":"asc"}]""", searches[0]["sort"]!.ToJsonString());
        Assert.Equal("""["b"]""", searches[0]["search_after"]!.ToJsonString());
        Assert.Equal(3, searches[0]["size"]!.GetValue<int>());
        Assert.False(searches[0]["_source"]!.GetValue<bool>());
        Assert.Equal("""{"term":{"state":"indexed"}}""", searches[1]["query"]!.ToJsonString());
        Assert.Equal("""["c"]""", searches[1]["search_after"]!.ToJsonString());
    }

    [Fact]
    public async Task Deletes_by_id_and_reads_a_not_found_as_false()
    {
        using var es = Scripted()
            .On("DELETE", $"/{ItemsIndex}/_doc/a", 200, Deleted("a", found: true))
            .On("DELETE", $"/{ItemsIndex}/_doc/b", 404, Deleted("b", found: false));
        var store = Store(es);

        Assert.True(await store.DeleteAsync("a"));
        Assert.False(await store.DeleteAsync("b"));
        Assert.False(await store.DeleteAsync("../not-an-id"));

        Assert.Equal([$"/{ItemsIndex}/_doc/a?refresh=false", $"/{ItemsIndex}/_doc/b?refresh=false"], es.To("DELETE", "/").Select(r => r.Path));
    }

    private static ScriptedElasticsearch Scripted() => new ScriptedElasticsearch()
        .On("PUT", "/_index_template/", 200, ElasticsearchAnswers.Acknowledged)
        .On("PUT", $"/{ItemsIndex}", 200, $$"""{"acknowledged":true,"shards_acknowledged":true,"index":"{{ItemsIndex}}"}""");

    private static ElasticsearchItemStore Store(ScriptedElasticsearch es, ElasticsearchItemStoreOptions? options = null) =>
        new(es.Client(), options ?? new ElasticsearchItemStoreOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) }, timeProvider: new FixedClock());

    private static ItemRecord Item(string id, string hash) => new() { Id = id, ContentHash = hash, Labels = ["l"], Text = $"text of {id}" };

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
