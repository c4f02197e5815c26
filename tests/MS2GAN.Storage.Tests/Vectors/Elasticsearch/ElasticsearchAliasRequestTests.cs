using MS2GAN.Storage.Vectors;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Tests.Vectors.Elasticsearch;

/// <summary>Aliases: one atomic _aliases request per swap, and reading where an alias points.</summary>
public sealed class ElasticsearchAliasRequestTests
{
    [Fact]
    public async Task Swapping_an_alias_removes_the_old_index_and_adds_the_new_one_in_one_request()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", "/ms2gan-vectors-live/_mapping", 200, ElasticsearchAnswers.Mapping("ms2gan-vectors-v1", 16, 8))
            .On("GET", "/_alias/ms2gan-vectors-live", 200, """{"ms2gan-vectors-v1":{"aliases":{"ms2gan-vectors-live":{}}}}""")
            .On("POST", "/_aliases", 200, ElasticsearchAnswers.Acknowledged);

        await es.Store().SetAliasAsync("live", "v2");

        var swap = Assert.Single(es.To("POST", "/_aliases")).Json;
        Assert.Equal(
            """{"actions":[{"remove":{"index":"ms2gan-vectors-v1","alias":"ms2gan-vectors-live"}},{"add":{"index":"ms2gan-vectors-v2","alias":"ms2gan-vectors-live"}}]}""",
            swap.ToJsonString());
    }

    [Fact]
    public async Task A_new_alias_is_only_added()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", "/ms2gan-vectors-live/_mapping", 404, ElasticsearchAnswers.IndexNotFound("ms2gan-vectors-live"))
            .On("GET", "/_alias/ms2gan-vectors-live", 404, """{"error":"alias [ms2gan-vectors-live] missing","status":404}""")
            .On("POST", "/_aliases", 200, ElasticsearchAnswers.Acknowledged);

        await es.Store().SetAliasAsync("live", "v1");

        Assert.Equal(
            """{"actions":[{"add":{"index":"ms2gan-vectors-v1","alias":"ms2gan-vectors-live"}}]}""",
            Assert.Single(es.To("POST", "/_aliases")).Json.ToJsonString());
    }

    [Fact]
    public async Task An_alias_to_a_missing_index_gives_a_vector_index_not_found_exception()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", "/ms2gan-vectors-live/_mapping", 404, ElasticsearchAnswers.IndexNotFound("ms2gan-vectors-live"))
            .On("GET", "/_alias/ms2gan-vectors-live", 404, """{"error":"alias [ms2gan-vectors-live] missing","status":404}""")
            .On("POST", "/_aliases", 404, ElasticsearchAnswers.IndexNotFound("ms2gan-vectors-v9"));

        var error = await Assert.ThrowsAsync<VectorIndexNotFoundException>(() => es.Store().SetAliasAsync("live", "v9"));
        Assert.Equal("v9", error.Name);
    }

    [Fact]
    public async Task An_alias_cannot_take_the_name_of_an_index()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", "/ms2gan-vectors-v1/_mapping", 200, ElasticsearchAnswers.Mapping("ms2gan-vectors-v1", 16, 8));

        await Assert.ThrowsAsync<InvalidOperationException>(() => es.Store().SetAliasAsync("v1", "v2"));
        Assert.Empty(es.To("POST", "/_aliases"));
    }

    [Fact]
    public async Task Get_alias_reads_the_documented_response_and_null_for_a_missing_alias()
    {
        using var es = new ScriptedElasticsearch()
            .On("GET", "/_alias/ms2gan-vectors-live", 200, """{"ms2gan-vectors-v3":{"aliases":{"ms2gan-vectors-live":{}}}}""")
            .On("GET", "/_alias/ms2gan-vectors-none", 404, """{"error":"alias [ms2gan-vectors-none] missing","status":404}""");
        var store = es.Store();

        Assert.Equal("v3", await store.GetAliasAsync("live"));
        Assert.Null(await store.GetAliasAsync("none"));
    }
}
