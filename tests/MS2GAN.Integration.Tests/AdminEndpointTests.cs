using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MS2GAN.Integration.Tests;

/// <summary>The admin API refuses bad commands at the door, with ProblemDetails naming the field, and sends nothing.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class AdminEndpointTests(FeatureModelFixture model)
{
    [RabbitMqFact]
    public async Task Bad_commands_are_refused_with_problem_details_and_the_status_shows_the_active_model()
    {
        var broker = RabbitMqBroker.FromEnvironment();
        await using var virtualHost = await broker.CreateVirtualHostAsync("admin");
        await using var host = await PipelineHost.StartAsync(model.ModelDirectory, broker, virtualHost.Name);

        using (var anonymous = new HttpClient { BaseAddress = host.Client.BaseAddress })
        using (var refused = await anonymous.PostAsJsonAsync("/v1/admin/retrain", new { }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        await AssertProblemAsync(host, "/v1/admin/retrain", new { epochs = 0 }, HttpStatusCode.BadRequest, "epochs", "epochs must be between 1 and 10000");
        await AssertProblemAsync(host, "/v1/admin/retrain", new { tolerance = 2 }, HttpStatusCode.BadRequest, "tolerance", "tolerance must be between 0 and 1");
        await AssertProblemAsync(host, "/v1/admin/retrain", new { config = new[] { 1 } }, HttpStatusCode.BadRequest, "config", "must be a JSON object");
        await AssertProblemAsync(host, "/v1/admin/retrain", new { config = new { noSuchField = 1 } }, HttpStatusCode.BadRequest, "config",
            "unknown field noSuchField");
        await AssertProblemAsync(host, "/v1/admin/retrain", new { config = new { learningRate = -1 } }, HttpStatusCode.BadRequest, "config", "learningRate");
        await AssertProblemAsync(host, "/v1/admin/retrain", new { configuration = "no-such-configuration" }, HttpStatusCode.BadRequest, "configuration",
            "unknown configuration 'no-such-configuration' (known: default, quick, v1)");
        // The store holds no item: too few labelled items, and no item carries the label asked for.
        await AssertProblemAsync(host, "/v1/admin/retrain", new { }, HttpStatusCode.BadRequest, "labels", "too few labelled items: 0 labelled items, at least 40 needed");
        await AssertProblemAsync(host, "/v1/admin/retrain", new { labels = new[] { "no-such-label" } }, HttpStatusCode.BadRequest, "labels",
            "unknown label no-such-label: no item carries it");
        await AssertProblemAsync(host, "/v1/admin/rollback", new { }, HttpStatusCode.Conflict, null, "there is no previous model version to roll back to");

        var status = await host.Client.GetFromJsonAsync<JsonElement>("/v1/admin/status");
        var active = status.GetProperty("active").GetString();
        Assert.False(string.IsNullOrEmpty(active));
        var entry = Assert.Single(status.GetProperty("models").EnumerateArray());
        Assert.Equal(active, entry.GetProperty("version").GetString());
        Assert.Equal("active", entry.GetProperty("stage").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("reindex").ValueKind);
        Assert.Empty(status.GetProperty("outcomes").EnumerateArray());
    }

    private static async Task AssertProblemAsync(PipelineHost host, string path, object body, HttpStatusCode code, string? field, string message)
    {
        using var response = await host.Client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == code, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        if (field is not null)
        {
            Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        }
        else
        {
            Assert.Contains(message, problem.GetProperty("title").GetString());
        }
    }
}
