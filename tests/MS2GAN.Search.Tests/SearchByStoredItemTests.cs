using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.ServiceDefaults;

namespace MS2GAN.Search.Tests;

/// <summary>
/// POST /v1/search with <c>{itemId, modality}</c> over HTTP: the stored item's features go through the encoder's own rules,
/// so an item the model cannot encode is a client error naming why, never a 500.
/// </summary>
public sealed class SearchByStoredItemTests(IndexedCorpusFixture corpus) : IClassFixture<IndexedCorpusFixture>, IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration["Serilog:MinimumLevel:Default"] = "Fatal";
        builder.Configuration["ApiKeys:Key"] = "search-by-item-key-0123456789";
        builder.AddServiceDefaults("search");
        corpus.Register(builder.Services);
        _app = builder.Build();
        _app.MapSearchEndpoints();
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_stored_item_whose_features_do_not_fit_the_model_is_a_422_naming_the_item_and_the_widths()
    {
        // Stored as an item store holds it (features of another width than the model's), as ingest can no longer accept.
        var unfit = corpus.Record(7, new float[3], null, id: "three-wide-image");
        await corpus.Items.UpsertAsync(unfit);

        using var response = await SearchAsync("""{"query":{"itemId":"three-wide-image","modality":"image"},"k":5}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        ProblemAssert.IsClientError(response, body);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("query.itemId", problem.RootElement.GetProperty("field").GetString());
        var title = problem.RootElement.GetProperty("title").GetString();
        Assert.Contains("three-wide-image", title, StringComparison.Ordinal);
        Assert.Contains($"3 dimensions but the model was trained on {IndexedCorpusFixture.ImageDim}-dimensional", title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_item_that_fits_is_searched_without_itself()
    {
        using var response = await SearchAsync($$"""{"query":{"itemId":"{{IndexedCorpusFixture.Id(0)}}","modality":"image"},"target":"text","k":5}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(body);
        var hits = answer.RootElement.GetProperty("hits").EnumerateArray().Select(hit => hit.GetProperty("id").GetString()).ToList();
        Assert.Equal(5, hits.Count);
        Assert.DoesNotContain(IndexedCorpusFixture.Id(0), hits);
    }

    private Task<HttpResponseMessage> SearchAsync(string json) =>
        _client.PostAsync("/v1/search", new StringContent(json, Encoding.UTF8, "application/json"));
}
