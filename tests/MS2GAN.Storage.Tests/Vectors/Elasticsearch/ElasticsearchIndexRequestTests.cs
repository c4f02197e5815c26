using System.Text.Json.Nodes;
using MS2GAN.Storage.Vectors;
using MS2GAN.Storage.Vectors.Elasticsearch;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Tests.Vectors.Elasticsearch;

/// <summary>Index template and index creation: the JSON the client sends, and how answers are read.</summary>
public sealed class ElasticsearchIndexRequestTests
{
    [Fact]
    public async Task Creating_an_index_puts_the_template_first_then_a_dense_vector_mapping_with_int8_hnsw()
    {
        using var es = new ScriptedElasticsearch()
            .On("PUT", "/_index_template/", 200, ElasticsearchAnswers.Acknowledged)
            .On("PUT", "/ms2gan-vectors-v1", 200, ElasticsearchAnswers.IndexCreated);
        var store = es.Store();

        await store.CreateIndexAsync(new IndexDefinition("v1", 128, 64, "m1"));

        Assert.Equal(["PUT /_index_template/ms2gan-vectors", "PUT /ms2gan-vectors-v1"], es.Requests.Select(r => $"{r.Method} {r.Path}"));
        var template = es.Requests[0].Json;
        Assert.Equal("ms2gan-vectors-*", template["index_patterns"]![0]!.GetValue<string>());
        var properties = template["template"]!["mappings"]!["properties"]!;
        Assert.Equal("keyword", properties["item_id"]!["type"]!.GetValue<string>());
        Assert.Equal("keyword", properties["modality"]!["type"]!.GetValue<string>());
        Assert.Equal("keyword", properties["labels"]!["type"]!.GetValue<string>());
        Assert.Equal("flattened", properties["metadata"]!["type"]!.GetValue<string>());
        Assert.Equal("strict", template["template"]!["mappings"]!["dynamic"]!.GetValue<string>());

        var mappings = es.Requests[1].Json["mappings"]!;
        foreach (var (field, dims) in new[] { ("specific", 128), ("shared", 64) })
        {
            var vector = mappings["properties"]![field]!;
            Assert.Equal("dense_vector", vector["type"]!.GetValue<string>());
            Assert.Equal(dims, vector["dims"]!.GetValue<int>());
            Assert.True(vector["index"]!.GetValue<bool>());
            Assert.Equal("dot_product", vector["similarity"]!.GetValue<string>());
            Assert.Equal("int8_hnsw", vector["index_options"]!["type"]!.GetValue<string>());
            Assert.Equal(16, vector["index_options"]!["m"]!.GetValue<int>());
            Assert.Equal(100, vector["index_options"]!["ef_construction"]!.GetValue<int>());
        }

        Assert.Equal("m1", mappings["_meta"]!["ms2gan"]!["model_version"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_template_is_put_once_per_store_and_follows_the_prefix()
    {
        using var es = new ScriptedElasticsearch()
            .On("PUT", "/_index_template/", 200, ElasticsearchAnswers.Acknowledged)
            .On("PUT", "/test-", 200, ElasticsearchAnswers.IndexCreated);
        var store = es.Store(new ElasticsearchVectorStoreOptions { IndexPrefix = "test-", TemplateName = "test-vectors" });

        await store.CreateIndexAsync(new IndexDefinition("a", 4, 4, null));
        await store.CreateIndexAsync(new IndexDefinition("b", 4, 4, null));

        var template = Assert.Single(es.To("PUT", "/_index_template/"));
        Assert.Equal("/_index_template/test-vectors", template.Path);
        Assert.Equal("test-*", template.Json["index_patterns"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Flat_index_options_carry_no_hnsw_parameters()
    {
        using var es = new ScriptedElasticsearch()
            .On("PUT", "/_index_template/", 200, ElasticsearchAnswers.Acknowledged)
            .On("PUT", "/ms2gan-vectors-v1", 200, ElasticsearchAnswers.IndexCreated);
        var store = es.Store(new ElasticsearchVectorStoreOptions { IndexOptionsType = "int8_flat" });

        await store.CreateIndexAsync(new IndexDefinition("v1", 8, 8, null));

        var options = es.To("PUT", "/ms2gan-vectors-v1").Single().Json["mappings"]!["properties"]!["specific"]!["index_options"]!.AsObject();
        Assert.Equal(["type"], options.Select(p => p.Key));
        Assert.Equal("int8_flat", options["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creating_an_existing_identical_index_is_accepted()
    {
        using var es = ExistingIndexV1();

        await es.Store().CreateIndexAsync(new IndexDefinition("v1", 16, 8, "m1"));
    }

    [Fact]
    public async Task A_mapping_conflict_names_the_index_and_the_field_and_changes_nothing()
    {
        using var es = ExistingIndexV1();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => es.Store().CreateIndexAsync(new IndexDefinition("v1", 16, 9, "m1")));

        Assert.Contains("ms2gan-vectors-v1", error.Message);
        Assert.Contains("field 'shared' has 8 dims, not 9", error.Message);
        Assert.DoesNotContain(es.Requests, r => r.Method is "DELETE" or "POST");
    }

    [Fact]
    public async Task Get_index_reads_dims_and_model_version_from_the_mapping_and_null_when_missing()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", "/ms2gan-vectors-live/_mapping", 200, ElasticsearchAnswers.Mapping("ms2gan-vectors-v2", 128, 64, "m2"))
            .On("GET", "/ms2gan-vectors-gone/_mapping", 404, ElasticsearchAnswers.IndexNotFound("ms2gan-vectors-gone"));
        var store = es.Store();

        Assert.Equal(new IndexDefinition("v2", 128, 64, "m2"), await store.GetIndexAsync("live"));
        Assert.Null(await store.GetIndexAsync("gone"));
        Assert.Null(await store.GetIndexAsync("Not*Valid"));
        Assert.Equal(2, es.Requests.Count);
    }

    [Fact]
    public async Task Deleting_an_index_sends_delete_and_reports_a_missing_one_as_false()
    {
        using var es = new ScriptedElasticsearch()
            .On("DELETE", "/ms2gan-vectors-v1", 200, ElasticsearchAnswers.Acknowledged)
            .On("DELETE", "/ms2gan-vectors-v9", 404, ElasticsearchAnswers.IndexNotFound("ms2gan-vectors-v9"));
        var store = es.Store();

        Assert.True(await store.DeleteIndexAsync("v1"));
        Assert.False(await store.DeleteIndexAsync("v9"));
        Assert.Null(es.Requests[0].Body);
    }

    [Fact]
    public async Task An_unknown_index_gives_a_vector_index_not_found_exception()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", "/ms2gan-vectors-v9", 404, ElasticsearchAnswers.IndexNotFound("ms2gan-vectors-v9"));

        var error = await Assert.ThrowsAsync<VectorIndexNotFoundException>(() => es.Store().CountAsync("v9"));
        Assert.Equal("v9", error.Name);
    }

    [Theory]
    [InlineData("IndexPrefix")]
    [InlineData("IndexOptionsType")]
    [InlineData("HnswM")]
    [InlineData("NumCandidates")]
    [InlineData("BatchSize")]
    [InlineData("MaxRetries")]
    public void Bad_options_are_refused_naming_the_option(string option)
    {
        var bad = option switch
        {
            "IndexPrefix" => new ElasticsearchVectorStoreOptions { IndexPrefix = "Upper-" },
            "IndexOptionsType" => new ElasticsearchVectorStoreOptions { IndexOptionsType = "ivf" },
            "HnswM" => new ElasticsearchVectorStoreOptions { HnswM = 1 },
            "NumCandidates" => new ElasticsearchVectorStoreOptions { NumCandidates = 10_001 },
            "BatchSize" => new ElasticsearchVectorStoreOptions { BatchSize = 0 },
            _ => new ElasticsearchVectorStoreOptions { MaxRetries = -1 },
        };

        Assert.Equal(option, Assert.Throws<ArgumentException>(bad.Validate).ParamName);
    }

    [Fact]
    public void The_template_file_under_infra_is_the_embedded_one()
    {
        var repositoryFile = RepositoryFolder.File(Path.Combine("infra", "elasticsearch", "vector-index-template.json"));
        using var stream = typeof(ElasticsearchVectorStore).Assembly.GetManifestResourceStream("MS2GAN.Storage.Elasticsearch.vector-index-template.json");
        Assert.NotNull(stream);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(repositoryFile)), JsonNode.Parse(stream)));
    }

    /// <summary>Index v1 (16 + 8 dims, model m1) exists already.</summary>
    private static ScriptedElasticsearch ExistingIndexV1() => new ScriptedElasticsearch()
        .On("PUT", "/_index_template/", 200, ElasticsearchAnswers.Acknowledged)
        .On("PUT", "/ms2gan-vectors-v1", 400, ElasticsearchAnswers.Error("resource_already_exists_exception", "index [ms2gan-vectors-v1/abc] already exists", 400))
        .On("GET", "/ms2gan-vectors-v1/_mapping", 200, ElasticsearchAnswers.Mapping("ms2gan-vectors-v1", 16, 8));
}
