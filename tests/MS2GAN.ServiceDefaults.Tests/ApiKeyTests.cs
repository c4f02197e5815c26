using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MS2GAN.ServiceDefaults.Tests;

public sealed class ApiKeyTests
{
    [Fact]
    public async Task A_keyed_endpoint_without_the_header_answers_401_problem_json()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var response = await client.PostAsync("/items", null);

        await AssertUnauthorizedAsync(response, "missing X-Api-Key header");
    }

    [Fact]
    public async Task A_keyed_endpoint_with_a_wrong_key_of_the_same_length_answers_401()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();
        var wrong = new string('x', TestApp.Key.Length);

        var response = await SendAsync(client, HttpMethod.Post, "/items", wrong);

        await AssertUnauthorizedAsync(response, "invalid API key");
    }

    [Fact]
    public async Task A_keyed_endpoint_with_a_key_of_a_different_length_answers_401()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var response = await SendAsync(client, HttpMethod.Post, "/items", TestApp.Key + "-and-more");
        var prefix = await SendAsync(client, HttpMethod.Post, "/items", TestApp.Key[..^1]);

        await AssertUnauthorizedAsync(response, "invalid API key");
        await AssertUnauthorizedAsync(prefix, "invalid API key");
    }

    [Fact]
    public async Task A_keyed_endpoint_with_the_right_key_answers_200()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var response = await SendAsync(client, HttpMethod.Post, "/items", TestApp.Key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_open_endpoint_answers_without_a_key()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/open");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_keyed_group_guards_every_endpoint_in_it()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        var without = await client.DeleteAsync("/admin/items/42");
        var with = await SendAsync(client, HttpMethod.Delete, "/admin/items/42", TestApp.Key);

        await AssertUnauthorizedAsync(without, "missing X-Api-Key header");
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task Two_key_headers_are_refused_even_when_one_is_right()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/items");
        request.Headers.Add("X-Api-Key", ["wrong-key-wrong-key", TestApp.Key]);

        var response = await client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "invalid API key");
    }

    [Fact]
    public async Task Search_is_open_by_default_and_keyed_when_RequireForSearch_is_set()
    {
        await using var open = await TestApp.StartAsync();
        await using var keyed = await TestApp.StartAsync(settings => settings["ApiKeys:RequireForSearch"] = "true");
        using var openClient = open.CreateClient();
        using var keyedClient = keyed.CreateClient();

        var openAnswer = await openClient.PostAsync("/search", null);
        var keyedWithout = await keyedClient.PostAsync("/search", null);
        var keyedWith = await SendAsync(keyedClient, HttpMethod.Post, "/search", TestApp.Key);

        Assert.Equal(HttpStatusCode.OK, openAnswer.StatusCode);
        await AssertUnauthorizedAsync(keyedWithout, "missing X-Api-Key header");
        Assert.Equal(HttpStatusCode.OK, keyedWith.StatusCode);
    }

    [Fact]
    public async Task The_environment_variable_key_takes_precedence_over_the_configured_one()
    {
        const string fromEnvironment = "key-from-the-environment-0123";
        await using var app = await TestApp.StartAsync(settings => settings["MS2GAN_API_KEY"] = fromEnvironment);
        using var client = app.CreateClient();

        var configured = await SendAsync(client, HttpMethod.Post, "/items", TestApp.Key);
        var environment = await SendAsync(client, HttpMethod.Post, "/items", fromEnvironment);

        await AssertUnauthorizedAsync(configured, "invalid API key");
        Assert.Equal(HttpStatusCode.OK, environment.StatusCode);
    }

    [Fact]
    public async Task Neither_a_presented_key_nor_the_configured_key_is_ever_logged()
    {
        const string wrong = "a-wrong-key-that-must-not-be-logged";
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();

        await SendAsync(client, HttpMethod.Post, "/items", wrong);
        await SendAsync(client, HttpMethod.Post, "/items", TestApp.Key);
        await client.PostAsync("/items", null);

        Assert.Contains(app.Logs.Lines, line => line.Contains("invalid API key"));
        Assert.Contains(app.Logs.Lines, line => line.Contains("HTTP POST /items responded 200"));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(wrong) || line.Contains(TestApp.Key));
    }

    [Fact]
    public async Task Startup_refuses_a_key_shorter_than_16_characters()
    {
        await using var app = TestApp.Build(settings => settings["ApiKeys:Key"] = "short-key");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.App.StartAsync());

        Assert.Contains("at least 16", error.Message);
        Assert.DoesNotContain("short-key", error.Message);
    }

    [Fact]
    public async Task Startup_refuses_no_key_unless_anonymous_access_is_allowed()
    {
        await using var app = TestApp.Build(settings => settings["ApiKeys:Key"] = null);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.App.StartAsync());

        Assert.Contains("MS2GAN_API_KEY", error.Message);
        Assert.Contains("AllowAnonymous", error.Message);
    }

    [Fact]
    public async Task With_AllowAnonymous_and_no_key_keyed_endpoints_open_and_a_warning_is_logged()
    {
        await using var app = await TestApp.StartAsync(settings =>
        {
            settings["ApiKeys:Key"] = null;
            settings["ApiKeys:AllowAnonymous"] = "true";
        });
        using var client = app.CreateClient();

        var response = await client.PostAsync("/items", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(app.Logs.Lines, line => line.StartsWith("Warning") && line.Contains("No API key is configured"));
    }

    [Fact]
    public async Task AllowAnonymous_does_not_open_endpoints_when_a_key_is_configured()
    {
        await using var app = await TestApp.StartAsync(settings => settings["ApiKeys:AllowAnonymous"] = "true");
        using var client = app.CreateClient();

        var response = await client.PostAsync("/items", null);

        await AssertUnauthorizedAsync(response, "missing X-Api-Key header");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string key)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string detail)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(401, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(detail, json.RootElement.GetProperty("detail").GetString());
    }
}
