using System.Text.Json;

namespace MS2GAN.Host.Tests;

/// <summary>
/// The OpenAPI document of `ms2gan serve` (all four services): every body an endpoint takes is declared, so a client
/// generated from it can send them. The test saves the document to artifacts/openapi/v1.json, where
/// infra/scripts/test.sh lints it with Redocly CLI (infra/openapi/redocly.yaml).
/// </summary>
public sealed class OpenApiDocumentTests
{
    private const string ApiKey = "openapi-test-key-0123456789";

    [Fact]
    public async Task Every_post_declares_its_request_body_and_the_retrain_and_rollback_bodies_name_their_fields()
    {
        using var folder = new TempFolder();
        var model = SyntheticClusters.TrainTinyModel(folder.Combine("seed"), SyntheticClusters.ImageDim, SyntheticClusters.TextDim);
        var (app, address) = await InProcessServe.StartAsync(folder.Combine("serve"), model, "inmemory", ApiKey);
        await using var _ = app;
        using var client = new HttpClient { BaseAddress = address };

        var text = await client.GetStringAsync("/openapi/v1.json");
        await File.WriteAllTextAsync(Path.Combine(RepositoryFolder.Artifacts("openapi"), "v1.json"), text);
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;

        var posts = root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(op => op.Name == "post").Select(op => (Path: path.Name, Operation: op.Value)))
            .ToList();
        Assert.Contains(posts, post => post.Path == "/v1/admin/retrain");
        Assert.Contains(posts, post => post.Path == "/v1/admin/rollback");
        Assert.All(posts, post => Assert.True(
            post.Operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").EnumerateObject().Any(),
            $"POST {post.Path} declares no request body"));
        Assert.Equal(["config", "configuration", "epochs", "labels", "requestedBy", "tolerance"], Properties(root, Schema(root, "/v1/admin/retrain")));
        Assert.Equal(["requestedBy"], Properties(root, Schema(root, "/v1/admin/rollback")));
    }

    private static string Schema(JsonElement root, string path) =>
        root.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!.Split('/')[^1];

    private static IReadOnlyList<string> Properties(JsonElement root, string schema) =>
        [.. root.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").EnumerateObject()
            .Select(property => property.Name).Order(StringComparer.Ordinal)];
}
