using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Pipeline;

namespace MS2GAN.Pipeline.Tests;

public sealed class StorageReadinessTests
{
    [Fact]
    public async Task Readiness_includes_the_stores_and_is_healthy_when_they_answer()
    {
        using var data = new TempFolder();
        await using var app = await StartWithStoresAsync(data.Path);
        using var client = app.CreateClient();

        var (status, body) = await TestApp.PollReadinessAsync(client, HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, status);
        var stores = StoresCheck(body);
        Assert.Equal("Healthy", stores.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_answers_503_naming_the_stores_when_the_data_folder_is_gone()
    {
        using var root = new TempFolder();
        var dataDirectory = root.Combine("data");
        Directory.CreateDirectory(dataDirectory);
        await using var app = await StartWithStoresAsync(dataDirectory);
        using var client = app.CreateClient();
        await TestApp.PollReadinessAsync(client, HttpStatusCode.OK);

        Directory.Delete(dataDirectory, recursive: true);
        var response = await client.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var stores = StoresCheck(body);
        Assert.Equal("Unhealthy", stores.GetProperty("status").GetString());
    }

    [Fact]
    public async Task With_the_Elasticsearch_store_unreachable_the_service_starts_and_readiness_names_the_vector_store()
    {
        using var data = new TempFolder();
        // Nothing listens on the discard port: connections are refused at once.
        await using var app = await StartWithStoresAsync(data.Path, new()
        {
            ["Pipeline:Store"] = "Elasticsearch",
            ["Elasticsearch:Url"] = "http://127.0.0.1:9",
        });
        using var client = app.CreateClient();

        var response = await client.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var stores = StoresCheck(body);
        Assert.Equal("Unhealthy", stores.GetProperty("status").GetString());
        Assert.StartsWith("The vector store does not answer", stores.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.IsType<MS2GAN.Storage.Vectors.Elasticsearch.ElasticsearchVectorStore>(app.Services.GetRequiredService<MS2GAN.Storage.Vectors.IVectorStore>());
    }

    [Fact]
    public async Task With_the_Elasticsearch_items_index_unreachable_readiness_names_the_item_store()
    {
        using var data = new TempFolder();
        await using var app = await StartWithStoresAsync(data.Path, new()
        {
            ["Pipeline:ItemStore"] = "Elasticsearch",
            ["Elasticsearch:Url"] = "http://127.0.0.1:9",
        });
        using var client = app.CreateClient();

        var response = await client.GetAsync("/health/ready");
        var stores = StoresCheck(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("The item store does not answer", stores.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.IsType<MS2GAN.Storage.Items.Elasticsearch.ElasticsearchItemStore>(app.Services.GetRequiredService<MS2GAN.Storage.Items.IItemStore>());
    }

    [Fact]
    public async Task The_Elasticsearch_store_without_a_url_stops_the_start_naming_the_setting()
    {
        using var data = new TempFolder();

        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => StartWithStoresAsync(data.Path, new() { ["Pipeline:Store"] = "Elasticsearch" }));

        Assert.Contains("Elasticsearch:Url", failure.Message, StringComparison.Ordinal);
    }

    private static Task<TestApp> StartWithStoresAsync(string dataDirectory, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Pipeline:DataDirectory"] = dataDirectory };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return TestApp.StartAsync(services: services => services.AddMs2GanStorage(configuration));
    }

    private static JsonElement StoresCheck(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("checks").EnumerateArray()
            .Single(check => check.GetProperty("name").GetString() == "stores").Clone();
    }
}
