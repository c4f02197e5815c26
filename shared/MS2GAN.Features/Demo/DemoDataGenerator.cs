using MS2GAN.Features.Common;
using System.Globalization;
using System.Text;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;

namespace MS2GAN.Features.Demo;

/// <summary>
/// The project's own demo dataset, generated rather than downloaded: ten classes of shapes drawn
/// with SkiaSharp that differ in outline, colour and texture, with random position, size, rotation,
/// background tint, stray scratches, colour jitter and pixel noise, each with a caption written from
/// varied templates. The same seed gives the same bytes.
/// </summary>
/// <remarks>
/// Layout written by <see cref="Generate"/>:
/// <c>media/{id}.png</c>, <c>captions.tsv</c> (id, label, class, split, caption) and, when both
/// backbones are given, the feature dataset read by <see cref="FeatureDatasetLoader"/>:
/// <c>{train,test}_{image,text,labels}.npy</c> and <c>dataset.json</c>.
/// </remarks>
public static class DemoDataGenerator
{
    /// <summary>Width and height of every demo image, in pixels.</summary>
    public const int ImageSize = 128;

    /// <summary>Share of each class put in the test split (rounded, at least one item).</summary>
    public const double TestFraction = 0.2;

    /// <summary>The split name of training items (also the .npy file prefix).</summary>
    public const string TrainSplit = "train";

    /// <summary>The split name of test items (also the .npy file prefix).</summary>
    public const string TestSplit = "test";

    /// <summary>The caption table in the dataset folder.</summary>
    public const string CaptionsFile = "captions.tsv";

    /// <summary>The image folder in the dataset folder.</summary>
    public const string MediaFolder = "media";

    /// <summary>The class names, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = DemoClasses.All.Select(c => c.Name).ToArray();

    /// <summary>Draws one item. Depends only on its arguments, never on what else is generated.</summary>
    /// <param name="classIndex">The label, 0 to <see cref="ClassNames"/>.Count - 1.</param>
    /// <param name="index">The item's index within its class (0 or more).</param>
    /// <param name="seed">The dataset seed.</param>
    public static DemoSample CreateSample(int classIndex, int index, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, DemoClasses.All.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var demoClass = DemoClasses.All[classIndex];
        var random = DemoSeed.For(seed, classIndex, index, DemoSeed.Scene);
        var scene = DemoScene.Create(demoClass, random, ImageSize);
        byte[] png;
        using (var bitmap = DemoPainter.Paint(demoClass, scene, random))
        {
            png = DemoPainter.EncodePng(bitmap);
        }
        var caption = DemoCaptions.Write(demoClass, scene, DemoSeed.For(seed, classIndex, index, DemoSeed.Caption));
        var id = string.Create(CultureInfo.InvariantCulture, $"{demoClass.Slug}-{index:D4}");
        return new DemoSample(id, classIndex, demoClass.Name, caption, png);
    }

    /// <summary>
    /// Writes a demo dataset of <paramref name="perClass"/> items per class into <paramref name="outDir"/>.
    /// Everything is written into a hidden sibling folder first and renamed into place at the end, so an
    /// interrupted run never leaves a half-written dataset behind (at most a hidden <c>.*.partial-*</c> folder).
    /// </summary>
    /// <param name="outDir">The dataset folder; created, or replaced when <paramref name="overwrite"/> is set.</param>
    /// <param name="perClass">Items per class (at least 2: the split keeps one or more per class for testing).</param>
    /// <param name="seed">Same seed, same dataset.</param>
    /// <param name="images">ResNet18 for the image features; give both backbones or neither.</param>
    /// <param name="texts">MiniLM for the caption features; give both backbones or neither.</param>
    /// <param name="progress">Told how far each phase has come.</param>
    /// <param name="overwrite">Replace a non-empty <paramref name="outDir"/> instead of refusing to.</param>
    /// <param name="cancellationToken">Stops between items; nothing is left in <paramref name="outDir"/>.</param>
    /// <exception cref="IOException"><paramref name="outDir"/> is a file, or a non-empty folder and <paramref name="overwrite"/> is not set.</exception>
    public static DemoDataset Generate(string outDir, int perClass, int seed, ResNet18Backbone? images = null,
        MiniLmBackbone? texts = null, IProgress<DemoProgress>? progress = null, bool overwrite = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perClass, 9999);
        if ((images is null) != (texts is null))
        {
            throw new ArgumentException("the feature dataset needs both backbones: give ResNet18 and MiniLM, or neither for images and captions only");
        }

        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir));
        CheckTarget(target, overwrite);
        var parent = Path.GetDirectoryName(target) ?? throw new IOException($"{target}: cannot write a dataset at the root of a drive");
        var name = Path.GetFileName(target);
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{name}.partial-{Guid.NewGuid():N}");

        try
        {
            Directory.CreateDirectory(Path.Combine(staging, MediaFolder));
            var items = new List<DemoItem>(perClass * DemoClasses.All.Count);
            var total = perClass * DemoClasses.All.Count;
            for (var classIndex = 0; classIndex < DemoClasses.All.Count; classIndex++)
            {
                var test = TestItems(classIndex, perClass, seed);
                for (var index = 0; index < perClass; index++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var sample = CreateSample(classIndex, index, seed);
                    File.WriteAllBytes(Path.Combine(staging, MediaFolder, sample.Id + ".png"), sample.Png);
                    items.Add(new DemoItem(sample.Id, classIndex, sample.ClassName, test.Contains(index) ? TestSplit : TrainSplit, sample.Caption));
                    progress?.Report(new DemoProgress(DemoPhase.Drawing, items.Count, total));
                }
            }
            WriteCaptions(Path.Combine(staging, CaptionsFile), items);

            if (images is not null && texts is not null)
            {
                // Embedded from the files just written, read one at a time: the features are those of
                // the stored media, and a large dataset is never held in memory.
                var media = items.Select(i => Path.Combine(staging, MediaFolder, i.Id + ".png")).ToArray();
                var imageFeatures = images.EmbedMany(new LazyFileList(media),
                    new SynchronousProgress<int>(done => progress?.Report(new DemoProgress(DemoPhase.EmbeddingImages, done, total))),
                    cancellationToken);
                var textFeatures = texts.Embed(items.Select(i => i.Caption).ToArray(), progress:
                    new SynchronousProgress<int>(done => progress?.Report(new DemoProgress(DemoPhase.EmbeddingTexts, done, total))),
                    cancellationToken: cancellationToken);
                progress?.Report(new DemoProgress(DemoPhase.Writing, 0, 1));
                WriteFeatures(staging, name, items, imageFeatures, textFeatures);
            }
            else
            {
                progress?.Report(new DemoProgress(DemoPhase.Writing, 0, 1));
            }

            MoveIntoPlace(staging, target, parent, name, overwrite);
            progress?.Report(new DemoProgress(DemoPhase.Writing, 1, 1));
            return new DemoDataset(target, items, ClassNames, images is not null);
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    /// <summary>Which item indices of a class go to the test split: a seeded shuffle, <see cref="TestFraction"/> of them.</summary>
    private static HashSet<int> TestItems(int classIndex, int perClass, int seed)
    {
        var testCount = Math.Max(1, (int)Math.Round(perClass * TestFraction, MidpointRounding.AwayFromZero));
        var order = Enumerable.Range(0, perClass).ToArray();
        DemoSeed.For(seed, classIndex, -1, DemoSeed.Split).Shuffle(order);
        return [.. order.Take(testCount)];
    }

    private static void CheckTarget(string target, bool overwrite)
    {
        if (File.Exists(target))
        {
            throw new IOException($"{target} is a file; the demo dataset needs a folder");
        }
        if (!overwrite && Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new IOException($"{target} already exists and is not empty; choose another folder or allow overwriting it");
        }
    }

    private static void WriteCaptions(string path, IReadOnlyList<DemoItem> items)
    {
        var text = new StringBuilder("id\tlabel\tclass\tsplit\tcaption\n");
        foreach (var item in items)
        {
            text.Append(CultureInfo.InvariantCulture, $"{item.Id}\t{item.ClassIndex}\t{item.ClassName}\t{item.Split}\t{item.Caption}\n");
        }
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static void WriteFeatures(string folder, string name, IReadOnlyList<DemoItem> items, FeatureMatrix imageFeatures, FeatureMatrix textFeatures)
    {
        foreach (var split in new[] { TrainSplit, TestSplit })
        {
            var rows = Enumerable.Range(0, items.Count).Where(i => items[i].Split == split).ToArray();
            NpyWriter.Write(Path.Combine(folder, $"{split}_image.npy"), imageFeatures.SelectRows(rows));
            NpyWriter.Write(Path.Combine(folder, $"{split}_text.npy"), textFeatures.SelectRows(rows));
            NpyWriter.Write(Path.Combine(folder, $"{split}_labels.npy"), rows.Select(i => items[i].ClassIndex).ToArray());
        }
        new DatasetInfo(name, BackboneNames.ResNet18, BackboneNames.MiniLm, ClassNames)
            .Save(Path.Combine(folder, DatasetInfo.FileName));
    }

    private static void MoveIntoPlace(string staging, string target, string parent, string name, bool overwrite)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }
        // Checked again: the folder may have filled up while we were generating.
        CheckTarget(target, overwrite);
        var previous = Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
        Directory.Move(target, previous);
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(previous, target);
            throw;
        }
        TryDelete(previous);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a stray hidden folder is harmless, the exception being handled is what matters.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
