using System.Net;
using System.Text;
using System.Text.Json;

namespace MS2GAN.Host.Tests;

/// <summary>
/// `ms2gan serve` checks given features against the active model's widths at ingest (the widths come from the model,
/// not from a setting), so a wrong width is refused at once instead of being accepted and failing in the encoder.
/// </summary>
public sealed class ServeFeatureWidthTests
{
    private const string ApiKey = "serve-width-key-0123456789";

    [Fact]
    public async Task Features_of_another_width_than_the_active_model_are_a_400_naming_the_field_and_the_expected_width()
    {
        using var folder = new TempFolder();
        var model = SyntheticClusters.TrainTinyModel(folder.Combine("seed"), SyntheticClusters.ImageDim, SyntheticClusters.TextDim);
        var (app, address) = await InProcessServe.StartAsync(folder.Combine("serve"), model, "inmemory", ApiKey);
        await using var _ = app;
        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

        using var response = await client.PostAsync("/v1/items",
            new StringContent("""{"id":"three-wide","imageFeatures":[1,2,3],"labels":["a"]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        ProblemAssert.IsClientError(response, body);
        using var problem = JsonDocument.Parse(body);
        var message = Assert.Single(problem.RootElement.GetProperty("errors").GetProperty("imageFeatures").EnumerateArray()).GetString();
        Assert.Contains($"3 dimensions but the model was trained on {SyntheticClusters.ImageDim}-dimensional", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/items/three-wide")).StatusCode);
    }
}
