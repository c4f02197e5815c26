using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MS2GAN.Ingest.Tests;

/// <summary>Small helpers for sending bodies and reading answers.</summary>
public static class HttpAssert
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostNdjsonAsync(this HttpClient client, string url, string ndjson) =>
        client.PostAsync(url, new StringContent(ndjson, Encoding.UTF8, new MediaTypeHeaderValue("application/x-ndjson")));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/>; returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        return json;
    }

    /// <summary>Asserts a 400 validation problem whose errors name <paramref name="field"/>.</summary>
    public static async Task<JsonElement> ValidationProblemAsync(this HttpResponseMessage response, string field)
    {
        var json = await response.ProblemAsync(HttpStatusCode.BadRequest);
        var errors = json.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors do not name '{field}': {errors}");
        Assert.True(messages.GetArrayLength() > 0);
        return json;
    }
}
