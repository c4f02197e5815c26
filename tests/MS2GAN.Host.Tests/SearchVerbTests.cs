using System.Text.Json;
using System.Text.RegularExpressions;
using MS2GAN.Host.Tests.Support;

namespace MS2GAN.Host.Tests;

/// <summary>`ms2gan search` against a running service holding the demo items (raw mode: ResNet18 and MiniLM).</summary>
[Collection(DemoModelCollection.Name)]
public sealed partial class SearchVerbTests(DemoModelFixture demo)
{
    [Fact]
    public async Task A_text_query_prints_a_table_of_image_hits_of_the_class_it_describes()
    {
        var server = await demo.DemoServerAsync();

        var result = await Ms2GanCli.RunAsync(null, ["search", "a red circle covered in dots", "--target", "image", "-k", "3", .. server.Connection]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StandardOutput.TrimEnd().Split('\n');
        Assert.StartsWith("\"a red circle covered in dots\" -> image, model ", lines[0]);
        Assert.EndsWith(": 3 hits", lines[0]);
        Assert.Matches(@"^rank +score +modality +id +labels +snippet$", lines[1]);
        var rows = lines.Skip(2).Select(line => Row().Match(line)).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, row => Assert.True(row.Success, result.ToString()));
        Assert.Equal(["1", "2", "3"], rows.Select(r => r.Groups["rank"].Value));
        Assert.All(rows, row => Assert.Equal("image", row.Groups["modality"].Value));
        // The best hit is of the class the text describes, and its snippet is the item's caption.
        Assert.Equal("red dotted circle", rows[0].Groups["labels"].Value);
        Assert.StartsWith("red-dotted-circle-", rows[0].Groups["id"].Value);
        Assert.NotEqual("-", rows[0].Groups["snippet"].Value);
        var scores = rows.Select(r => double.Parse(r.Groups["score"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public async Task An_image_query_with_json_prints_the_services_answer_of_text_hits_within_the_labels()
    {
        var server = await demo.DemoServerAsync();
        var image = Path.Combine(demo.DemoDirectory, "media", "blue-striped-square-0001.png");

        var result = await Ms2GanCli.RunAsync(null,
            ["search", "--image", image, "--target", "text", "-k", "4", "--labels", "blue striped square,orange plain cross", "--json", .. server.Connection]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = JsonDocument.Parse(result.StandardOutput);
        var hits = answer.RootElement.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(4, hits.Count);
        Assert.All(hits, hit => Assert.Equal("text", hit.GetProperty("modality").GetString()));
        Assert.All(hits, hit => Assert.Contains(hit.GetProperty("labels")[0].GetString(), new[] { "blue striped square", "orange plain cross" }));
        Assert.Equal("blue striped square", hits[0].GetProperty("labels")[0].GetString());
    }

    [Theory]
    [InlineData(new string[0], "error: give a TEXT to search with, or --image FILE")]
    [InlineData(new[] { "  " }, "error: give a TEXT to search with, or --image FILE")]
    [InlineData(new[] { "--image", "/nonexistent/query.png" }, "error: /nonexistent/query.png: no such file")]
    [InlineData(new[] { "a text", "--image", "/nonexistent/query.png" }, "error: give a TEXT or --image FILE, not both")]
    public async Task A_query_it_cannot_send_exits_2_saying_why(string[] args, string error)
    {
        var result = await Ms2GanCli.RunAsync(null, ["search", .. args]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(error, result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    [GeneratedRegex(@"^ *(?<rank>\d+) +(?<score>-?\d\.\d{4}) +(?<modality>image|text) +(?<id>\S+) +(?<labels>\S.*?) {2,}(?<snippet>\S.*)$")]
    private static partial Regex Row();
}
