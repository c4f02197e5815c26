using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Features.Demo;
using MS2GAN.Host.Tests.Support;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;
using Xunit.Abstractions;

namespace MS2GAN.Host.Tests;

/// <summary>`ms2gan ingest` of folders and manifests into a running service with a raw-mode model (ResNet18 and MiniLM).</summary>
[Collection(DemoModelCollection.Name)]
public sealed class IngestVerbTests(DemoModelFixture demo, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_thousand_demo_images_killed_half_way_and_resumed_are_all_indexed_once()
    {
        var images = _folder.Combine("thousand");
        DemoDataGenerator.Generate(images, perClass: 100, seed: 7);
        await using var server = await AdminServer.StartAsync(modelDirectory: demo.ModelDirectory);
        var items = server.Services.GetRequiredService<IItemStore>();
        async Task<long> Stored(CancellationToken cancellation) => (await items.CountByStateAsync(cancellation)).Values.Sum();
        string[] ingest = ["ingest", images, "--batch-size", "50", .. server.Connection];

        // The first run is killed (SIGKILL, no chance to tidy up) once half the items are in the store.
        var killed = await Ms2GanCli.RunAsync(null, async cancellation =>
        {
            while (await Stored(cancellation) < 500)
            {
                await Task.Delay(10, cancellation);
            }
        }, ingest);
        Assert.True(killed.ExitCode == 137, "the import ended before it was half-way: " + killed);
        // A batch the service was reading when the client died may still land: count once the store stops changing.
        long before = -1;
        for (var now = await Stored(CancellationToken.None); now != before; now = await Stored(CancellationToken.None))
        {
            before = now;
            await Task.Delay(700);
        }
        Assert.InRange(before, 500, 999);
        Assert.True(File.Exists(Path.Combine(images, ".ms2gan-ingest")));

        var clock = Stopwatch.StartNew();
        var resumed = await Ms2GanCli.RunAsync(null, ingest);
        output.WriteLine($"killed with {before} items stored; the resumed run took {clock.Elapsed.TotalSeconds:F1} s:\n{resumed.StandardOutput}");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("(folder of images with captions.tsv)", resumed.StandardOutput);
        var accepted = Regex.Match(resumed.StandardOutput, @"accepted: 1000 \(created (\d+), replaced 0, unchanged (\d+), sent before (\d+)\)");
        Assert.True(accepted.Success, resumed.ToString());
        var (created, sentBefore) = (int.Parse(accepted.Groups[1].Value), int.Parse(accepted.Groups[3].Value));
        // What the killed run had sent is skipped (listed in the checkpoint) or found unchanged (sent, not yet listed).
        Assert.InRange(sentBefore, 450, (int)before);
        Assert.Equal(1000 - before, created);
        Assert.Contains("rejected: 0", resumed.StandardOutput);
        Assert.Contains("indexed: 1000 of 1000", resumed.StandardOutput);
        var counts = await items.CountByStateAsync();
        Assert.Equal(1000, counts.Values.Sum());
        Assert.Equal(1000, counts.GetValueOrDefault(ItemState.Indexed));
        // One image vector and one text vector per item: nothing indexed twice.
        Assert.Equal(2000, await server.Services.GetRequiredService<IVectorStore>().CountAsync(ModelCatalog.Alias));
    }

    [Fact]
    public async Task Manifest_lines_that_cannot_be_sent_are_reported_by_line_and_the_rest_is_indexed()
    {
        var manifest = WriteManifestWithPhotos("items.jsonl",
            """{"id":"m-1","text":"a red thing","image":"photos/a.png","labels":["x"]}""",
            "",
            """{"text":"only a text, no id","labels":["x"]}""",
            """{"id":"m-3", "text": """,
            """{"id":"m-4","image":"photos/missing.png"}""",
            """{"id":"m-5","text":"t","lables":["x"]}""",
            """{"id":"bad id!","text":"t"}""",
            """{"id":"m-1","text":"the same id again"}""",
            """{"image":"photos/b.png","labels":["y"]}""");
        await using var server = await AdminServer.StartAsync(modelDirectory: demo.ModelDirectory);

        var result = await Ms2GanCli.RunAsync(null, ["ingest", manifest, .. server.Connection]);

        Assert.True(result.ExitCode == 1, result.ToString());
        var summary = result.StandardOutput;
        Assert.Contains("accepted: 3 (created 3, replaced 0, unchanged 0, sent before 0)", summary);
        Assert.Contains("rejected: 5", summary);
        Assert.Contains("  items.jsonl line 4: not an item: body: ", summary);
        Assert.Contains($"  items.jsonl line 5: image photos/missing.png: no such file ({_folder.Combine("photos", "missing.png")}; image paths are relative to the manifest)", summary);
        Assert.Contains("  items.jsonl line 6: not an item: lables: ", summary);
        Assert.Matches(@"  items\.jsonl line 7: .*may contain only letters", summary);
        Assert.Contains("  items.jsonl line 8: id m-1 is already used by items.jsonl line 1", summary);
        Assert.Contains("indexed: 3 of 3", summary);
        var items = server.Services.GetRequiredService<IItemStore>();
        var stored = await items.GetManyAsync(["m-1", "photos:b.png"]);
        Assert.Equal(2, stored.Count);
        Assert.All(stored, item => Assert.NotNull(item.ImageMediaRef));
        Assert.Equal(3, (await items.CountByStateAsync()).Values.Sum());

        // Again: nothing new is sent, the same lines are reported.
        var again = await Ms2GanCli.RunAsync(null, ["ingest", manifest, .. server.Connection]);
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains("accepted: 3 (created 0, replaced 0, unchanged 0, sent before 3); 0 sent", again.StandardOutput);
        Assert.Contains("rejected: 5", again.StandardOutput);
    }

    [Fact]
    public async Task Csv_rows_keep_quoted_captions_labels_and_metadata_and_a_bad_row_is_named_by_its_line()
    {
        var manifest = WriteManifestWithPhotos("items.csv",
            "id,image,caption,labels,source",
            "c-1,photos/a.png,\"a caption, with a comma",
            "and a \"\"second\"\" line\",red|round,unit-test",
            "c-2,photos/b.png,plain caption,blue,unit-test,extra",
            ",photos/b.png,no id here,blue,");
        await using var server = await AdminServer.StartAsync(modelDirectory: demo.ModelDirectory);

        var result = await Ms2GanCli.RunAsync(null, ["ingest", manifest, .. server.Connection]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("accepted: 2 (created 2,", result.StandardOutput);
        Assert.Contains("  items.csv line 4: 6 fields where the header has 5", result.StandardOutput);
        Assert.Contains("indexed: 2 of 2", result.StandardOutput);
        var items = server.Services.GetRequiredService<IItemStore>();
        var first = await items.GetAsync("c-1");
        Assert.NotNull(first);
        Assert.Equal("a caption, with a comma\nand a \"second\" line", first.Text);
        Assert.Equal(["red", "round"], first.Labels);
        Assert.Equal("unit-test", first.Metadata["source"]);
        var derived = await items.GetAsync("photos:b.png");
        Assert.NotNull(derived);
        Assert.Equal("no id here", derived.Text);
        Assert.Empty(derived.Metadata);
    }

    [Fact]
    public async Task A_path_that_is_not_there_exits_2_naming_it()
    {
        var missing = _folder.Combine("nothing-here.jsonl");

        var result = await Ms2GanCli.RunAsync(null, "ingest", missing, "--api-key", "any");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"error: {missing}: no such file or folder", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    /// <summary>Writes the manifest and two demo images as photos/a.png and photos/b.png beside it.</summary>
    private string WriteManifestWithPhotos(string name, params string[] lines)
    {
        Directory.CreateDirectory(_folder.Combine("photos"));
        File.Copy(Path.Combine(demo.DemoDirectory, "media", "red-dotted-circle-0000.png"), _folder.Combine("photos", "a.png"));
        File.Copy(Path.Combine(demo.DemoDirectory, "media", "blue-striped-square-0000.png"), _folder.Combine("photos", "b.png"));
        var path = _folder.File(name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }
}
