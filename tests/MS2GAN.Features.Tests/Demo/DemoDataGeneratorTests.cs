using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Features.Demo;
using MS2GAN.Features.Tests.Backbones;
using MS2GAN.Features.Tests.Data;
using SkiaSharp;

namespace MS2GAN.Features.Tests.Demo;

[Collection(BackboneCollection.Name)]
public sealed class DemoDataGeneratorTests(BackboneFixture fixture)
{
    private const int Classes = 10;

    [Fact]
    public void The_same_seed_gives_the_same_images_and_captions()
    {
        using var folder = new TempFolder();

        var first = DemoDataGenerator.Generate(Path.Combine(folder.Path, "a"), perClass: 3, seed: 42);
        var second = DemoDataGenerator.Generate(Path.Combine(folder.Path, "b"), perClass: 3, seed: 42);

        Assert.Equal(first.Items, second.Items);
        Assert.Equal(File.ReadAllBytes(Captions(first)), File.ReadAllBytes(Captions(second)));
        foreach (var item in first.Items)
        {
            Assert.Equal(File.ReadAllBytes(Media(first, item)), File.ReadAllBytes(Media(second, item)));
        }
    }

    [Fact]
    public void Another_seed_gives_other_images_and_captions()
    {
        var a = Enumerable.Range(0, Classes).Select(c => DemoDataGenerator.CreateSample(c, 0, seed: 1)).ToArray();
        var b = Enumerable.Range(0, Classes).Select(c => DemoDataGenerator.CreateSample(c, 0, seed: 2)).ToArray();

        Assert.All(Enumerable.Range(0, Classes), c => Assert.NotEqual(a[c].Png, b[c].Png));
        Assert.True(a.Zip(b).Count(p => p.First.Caption != p.Second.Caption) >= Classes / 2, "most captions should change with the seed");
        Assert.Equal(a.Select(s => s.Id), b.Select(s => s.Id));
    }

    [Fact]
    public void Captions_of_a_class_vary_and_fit_on_one_tsv_line()
    {
        for (var c = 0; c < Classes; c++)
        {
            var captions = Enumerable.Range(0, 12).Select(i => DemoDataGenerator.CreateSample(c, i, seed: 3).Caption).ToArray();

            Assert.True(captions.Distinct().Count() >= 10, $"class {c}: only {captions.Distinct().Count()} distinct captions of 12");
            Assert.All(captions, caption => Assert.False(string.IsNullOrWhiteSpace(caption)));
            Assert.All(captions, caption => Assert.DoesNotContain('\t', caption));
            Assert.All(captions, caption => Assert.DoesNotContain('\n', caption));
        }
    }

    [Fact]
    public void Images_are_128_pixel_squares_with_pixel_noise()
    {
        for (var c = 0; c < Classes; c++)
        {
            using var bitmap = SKBitmap.Decode(DemoDataGenerator.CreateSample(c, 0, seed: 5).Png);

            Assert.Equal((DemoDataGenerator.ImageSize, DemoDataGenerator.ImageSize), (bitmap.Width, bitmap.Height));
            // A flat drawing has a few dozen colours (shape, texture, background, anti-aliasing); noise gives thousands.
            Assert.True(bitmap.Pixels.Distinct().Count() > 2000, $"class {c}: too few distinct colours for a noisy image");
        }
    }

    [Fact]
    public void Writes_media_captions_and_a_loadable_feature_dataset_with_an_80_20_split_per_class()
    {
        using var folder = new TempFolder();
        var outDir = Path.Combine(folder.Path, "demo");
        var reports = new List<DemoProgress>();

        var dataset = DemoDataGenerator.Generate(outDir, perClass: 5, seed: 7, fixture.ResNet18, fixture.MiniLm, new ListProgress(reports));

        Assert.True(dataset.HasFeatures);
        Assert.Equal(50, dataset.Items.Count);
        Assert.Equal(50, Directory.GetFiles(Path.Combine(outDir, DemoDataGenerator.MediaFolder), "*.png").Length);
        var lines = File.ReadAllLines(Captions(dataset));
        Assert.Equal("id\tlabel\tclass\tsplit\tcaption", lines[0]);
        Assert.Equal(51, lines.Length);
        Assert.All(lines.Skip(1), line => Assert.Equal(5, line.Split('\t').Length));
        foreach (var byClass in dataset.Items.GroupBy(i => i.ClassIndex))
        {
            Assert.Equal(4, byClass.Count(i => i.Split == DemoDataGenerator.TrainSplit));
            Assert.Equal(1, byClass.Count(i => i.Split == DemoDataGenerator.TestSplit));
        }

        var loaded = FeatureDatasetLoader.Load(outDir);
        Assert.Equal(Classes, loaded.ClassCount);
        Assert.Equal((40, 512), (loaded.Train.Image.Rows, loaded.Train.Image.Columns));
        Assert.Equal((40, 384), (loaded.Train.Text.Rows, loaded.Train.Text.Columns));
        Assert.Equal((10, 512), (loaded.Test.Image.Rows, loaded.Test.Image.Columns));
        Assert.Equal(dataset.Items.Where(i => i.Split == DemoDataGenerator.TestSplit).Select(i => i.ClassIndex), loaded.Test.Labels);
        Assert.Equal(DemoDataGenerator.ClassNames, loaded.Info.ClassNames);
        Assert.Equal(("demo", BackboneNames.ResNet18, BackboneNames.MiniLm), (loaded.Info.Name, loaded.Info.ImageFeatures, loaded.Info.TextFeatures));

        // The stored features are those of the stored files: reindexing from media gives the same vectors.
        var firstTest = dataset.Items.First(i => i.Split == DemoDataGenerator.TestSplit);
        Assert.Equal(fixture.ResNet18.Embed(File.ReadAllBytes(Media(dataset, firstTest))), loaded.Test.Image.Row(0).ToArray());
        Assert.InRange(Vectors.MaxAbsDiff(fixture.MiniLm.Embed(firstTest.Caption), loaded.Test.Text.Row(0)), 0, 1e-5);

        Assert.Equal(new DemoProgress(DemoPhase.Drawing, 50, 50), reports.Last(r => r.Phase == DemoPhase.Drawing));
        Assert.Equal(new DemoProgress(DemoPhase.EmbeddingImages, 50, 50), reports.Last(r => r.Phase == DemoPhase.EmbeddingImages));
        Assert.Equal(new DemoProgress(DemoPhase.EmbeddingTexts, 50, 50), reports.Last(r => r.Phase == DemoPhase.EmbeddingTexts));
        Assert.Equal(new DemoProgress(DemoPhase.Writing, 1, 1), reports[^1]);
        Assert.Equal([outDir], Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Without_backbones_only_media_and_captions_are_written()
    {
        using var folder = new TempFolder();

        var dataset = DemoDataGenerator.Generate(Path.Combine(folder.Path, "demo"), perClass: 2, seed: 1);

        Assert.False(dataset.HasFeatures);
        Assert.Equal(
            new[] { DemoDataGenerator.CaptionsFile, DemoDataGenerator.MediaFolder },
            Directory.GetFileSystemEntries(dataset.Directory).Select(Path.GetFileName).Order().ToArray());
    }

    [Fact]
    public void A_non_empty_folder_is_refused_unless_overwriting_is_allowed()
    {
        using var folder = new TempFolder();
        var outDir = Path.Combine(folder.Path, "demo");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "mine");

        var error = Assert.Throws<IOException>(() => DemoDataGenerator.Generate(outDir, perClass: 2, seed: 1));
        Assert.Contains("already exists and is not empty", error.Message);
        Assert.True(File.Exists(Path.Combine(outDir, "keep.txt")));

        DemoDataGenerator.Generate(outDir, perClass: 2, seed: 1, overwrite: true);
        Assert.False(File.Exists(Path.Combine(outDir, "keep.txt")));
        Assert.True(File.Exists(Path.Combine(outDir, DemoDataGenerator.CaptionsFile)));
        Assert.Equal([outDir], Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void An_interrupted_run_leaves_nothing_behind()
    {
        using var folder = new TempFolder();
        var outDir = Path.Combine(folder.Path, "demo");
        using var cancellation = new CancellationTokenSource();
        var progress = new ListProgress([], report =>
        {
            if (report.Done == 7)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            DemoDataGenerator.Generate(outDir, perClass: 3, seed: 1, progress: progress, cancellationToken: cancellation.Token));

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Giving_only_one_backbone_is_refused()
    {
        using var folder = new TempFolder();

        Assert.Throws<ArgumentException>(() =>
            DemoDataGenerator.Generate(Path.Combine(folder.Path, "demo"), perClass: 2, seed: 1, images: fixture.ResNet18));
    }

    private static string Captions(DemoDataset dataset) => Path.Combine(dataset.Directory, DemoDataGenerator.CaptionsFile);

    private static string Media(DemoDataset dataset, DemoItem item) =>
        Path.Combine(dataset.Directory, DemoDataGenerator.MediaFolder, item.Id + ".png");

    private sealed class ListProgress(List<DemoProgress> reports, Action<DemoProgress>? onReport = null) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value)
        {
            reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
