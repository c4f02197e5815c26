using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace MS2GAN.ServiceDefaults.Tests;

public sealed class ServiceDefaultsEndpointTests
{
    [Fact]
    public async Task Liveness_answers_200_while_the_process_runs()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Healthy\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_answers_200_with_the_bus_check_once_the_in_memory_bus_has_started()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var (status, body) = await TestApp.PollReadinessAsync(client, HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, status);
        using var json = JsonDocument.Parse(body);
        var check = Assert.Single(json.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("masstransit-bus", check.GetProperty("name").GetString());
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_answers_503_when_a_ready_check_fails_while_liveness_stays_200()
    {
        await using var app = await TestApp.StartAsync(services: services => services.AddHealthChecks()
            .AddCheck("store", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("down"), [HealthCheckTags.Ready]));
        using var client = app.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("\"store\"", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_is_served_with_the_service_title_and_the_api_key_scheme()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("test-service", root.GetProperty("info").GetProperty("title").GetString());
        Assert.True(root.GetProperty("paths").TryGetProperty("/items", out var items));
        Assert.True(items.GetProperty("post").TryGetProperty("security", out _), body);
        Assert.True(items.GetProperty("post").GetProperty("responses").TryGetProperty("401", out _));
        // An open endpoint says it needs nothing (one empty requirement), so linters and generated clients know either way.
        Assert.Equal("[{}]", Compact(root.GetProperty("paths").GetProperty("/open").GetProperty("get").GetProperty("security")));
        // Search is open unless ApiKeys:RequireForSearch is set, and the document says so.
        Assert.Equal("[{}]", Compact(root.GetProperty("paths").GetProperty("/search").GetProperty("post").GetProperty("security")));
        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
    }

    [Fact]
    public async Task Metrics_endpoint_serves_prometheus_text_with_a_recorded_ms2gan_metric()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();
        var metrics = app.Services.GetRequiredService<Ms2GanMetrics>();

        metrics.ItemsIngested("created", 3);
        metrics.Search("image", TimeSpan.FromMilliseconds(4));
        var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ms2gan_items_ingested_total{", text);
        Assert.Contains("outcome=\"created\"", text);
        Assert.Contains("ms2gan_search_latency_milliseconds_bucket{", text);
        Assert.Contains("# TYPE ms2gan_items_ingested_total counter", text);
    }

    [Fact]
    public async Task An_unhandled_exception_becomes_a_500_problem_without_details_of_the_exception()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/boom");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(500, json.RootElement.GetProperty("status").GetInt32());
        Assert.True(json.RootElement.TryGetProperty("traceId", out _));
        Assert.DoesNotContain("secret internal detail", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain(" at ", body);
    }

    [Fact]
    public async Task An_unknown_route_answers_404_as_problem_json()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}
