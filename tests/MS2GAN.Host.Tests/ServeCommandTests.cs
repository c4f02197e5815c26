using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MS2GAN.Host.Tests.Support;

namespace MS2GAN.Host.Tests;

/// <summary>`ms2gan serve` on a fresh folder: demo data, a demo model, the demo items through ingest, then the HTTP APIs.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_prepares_the_demo_and_answers_ingest_and_search_over_http()
    {
        using var folder = new TempFolder();
        using var serve = ServeProcess.Start("--data-dir", folder.Combine("data"), "--per-class", "4", "--demo");
        // The demo model trains with the defaults (early stopping, refit) before serving: minutes on a busy machine.
        await serve.WaitForErrorOutputAsync("ms2gan is serving on", TimeSpan.FromMinutes(15));

        // --demo printed text->image answers; the first query's best hit is of the class it describes
        Assert.Contains("text -> image: \"a red circle covered in dots\"", serve.StandardOutput);
        var firstHit = serve.StandardOutput.Split('\n').SkipWhile(l => !l.StartsWith("text -> image", StringComparison.Ordinal)).Skip(1).First();
        Assert.Contains("red dotted circle", firstHit);

        // a new item through the ingest API becomes searchable
        var posted = await serve.Client.PostAsJsonAsync("/v1/items", new { id = "note-1", text = "a purple hexagon with a checkered pattern", labels = new[] { "mine" } });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        string? state = null;
        for (var attempt = 0; attempt < 100 && state != "indexed"; attempt++)
        {
            await Task.Delay(200);
            using var item = JsonDocument.Parse(await serve.Client.GetStringAsync("/v1/items/note-1"));
            state = item.RootElement.GetProperty("state").GetString();
        }
        Assert.Equal("indexed", state);

        var search = await serve.Client.PostAsJsonAsync("/v1/search", new
        {
            query = new { text = "purple checkered hexagon" },
            target = "text",
            k = 3,
            filter = new { labels = new[] { "mine" } },
        });
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        using var answer = JsonDocument.Parse(await search.Content.ReadAsStringAsync());
        Assert.Equal("note-1", answer.RootElement.GetProperty("hits")[0].GetProperty("id").GetString());

        // writes need the key
        using var anonymous = new HttpClient { BaseAddress = new Uri(serve.Url) };
        var refused = await anonymous.PostAsJsonAsync("/v1/items", new { text = "no key" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Serve_with_the_broker_down_exits_with_the_unreachable_code_not_the_bad_input_code()
    {
        using var folder = new TempFolder();
        var model = SyntheticClusters.TrainTinyModel(folder.Combine("seed"), SyntheticClusters.ImageDim, SyntheticClusters.TextDim);
        // Nothing listens on port 1: the broker is down, the settings themselves are fine.
        var environment = new Dictionary<string, string>
        {
            ["Messaging__Host"] = "127.0.0.1",
            ["Messaging__Port"] = "1",
            ["Messaging__Username"] = "ms2gan",
            ["Messaging__Password"] = "not-a-secret",
            ["Messaging__StartTimeout"] = "00:00:05",
        };

        var result = await Ms2GanCli.RunAsync(environment, "serve", "--transport", "rabbitmq", "--model", model, "--data-dir", folder.Combine("data"));

        Assert.True(result.ExitCode == MS2GAN.Host.Cli.CliRunner.Unreachable, result.ToString());
        Assert.Contains("error: a server the services need could not be reached", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_an_invalid_setting_exits_with_the_bad_input_code_naming_it()
    {
        using var folder = new TempFolder();
        var model = SyntheticClusters.TrainTinyModel(folder.Combine("seed"), SyntheticClusters.ImageDim, SyntheticClusters.TextDim);

        var result = await Ms2GanCli.RunAsync(new Dictionary<string, string> { ["Encoder__BatchSize"] = "0" },
            "serve", "--model", model, "--data-dir", folder.Combine("data"));

        Assert.True(result.ExitCode == MS2GAN.Host.Cli.CliRunner.BadInput, result.ToString());
        Assert.Contains("BatchSize", result.StandardError, StringComparison.Ordinal);
    }
}
