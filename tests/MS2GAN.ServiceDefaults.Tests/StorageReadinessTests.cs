using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using MS2GAN.ServiceDefaults.Pipeline;

namespace MS2GAN.ServiceDefaults.Tests;

public sealed class StorageReadinessTests
{
    [Fact]
    public async Task Readiness_includes_the_stores_and_is_healthy_when_they_answer()
    {
        using var data = new TempFolder();
        await using var app = await StartWithStoresAsync(data.Path);
        using var client = app.CreateClient();

        var (status, body) = await ServiceDefaultsEndpointTests.PollReadinessAsync(client, HttpStatusCode.OK);

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
        await ServiceDefaultsEndpointTests.PollReadinessAsync(client, HttpStatusCode.OK);

        Directory.Delete(dataDirectory, recursive: true);
        var response = await client.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var stores = StoresCheck(body);
        Assert.Equal("Unhealthy", stores.GetProperty("status").GetString());
    }

    private static Task<TestApp> StartWithStoresAsync(string dataDirectory)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:DataDirectory"] = dataDirectory })
            .Build();
        return TestApp.StartAsync(services: services => services.AddMs2GanStorage(configuration));
    }

    private static JsonElement StoresCheck(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("checks").EnumerateArray()
            .Single(check => check.GetProperty("name").GetString() == "stores").Clone();
    }
}
