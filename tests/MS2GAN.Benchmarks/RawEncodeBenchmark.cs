using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Features.Demo;
using MS2GAN.Features.Onnx;
using MS2GAN.Model;
using MS2GAN.Model.Inference;
using SkiaSharp;

namespace MS2GAN.Benchmarks;

/// <summary>
/// Raw mode of <c>encode</c>: demo images (PNG) and captions through the encoder service's path (BackboneSet: decode,
/// resize, ResNet18, or tokenize, MiniLM, pool; then the MS2GAN encoder in one batch) against the bare backbone
/// sessions alone on inputs prepared beforehand (ResNet18: its preprocessing and network sessions on the same images
/// as 224x224 planar frames; MiniLM: its session on the same token batches). The MS2GAN model is trained for one epoch on random
/// features of the backbones' widths: its speed does not depend on its weights.
/// </summary>
internal static class RawEncodeBenchmark
{
    private const int TextBatch = 32;

    public static object Run(OnnxSessionFactory sessions, int images, int texts)
    {
        var samples = Enumerable.Range(0, Math.Max(images, texts)).Select(i => DemoDataGenerator.CreateSample(i % 10, i / 10, seed: 3)).ToArray();
        var pngs = samples.Take(images).Select(s => s.Png).ToArray();
        var captions = samples.Take(texts).Select(s => s.Caption).ToArray();
        var folder = Directory.CreateTempSubdirectory("ms2gan-encode-");
        try
        {
            using var model = Ms2GanModel.Open(TrainRandomModel(folder.FullName), sessions);
            using var backbones = new BackboneSet(sessions);
            Console.WriteLine($"encode: raw mode, {images} demo images ({DemoDataGenerator.ImageSize}x{DemoDataGenerator.ImageSize} PNG), {texts} captions, text batches of {TextBatch}");

            backbones.EmbedImage(pngs[0]);
            var clock = Stopwatch.StartNew();
            var imageRows = pngs.Select(p => backbones.EmbedImage(p)).ToList();
            model.Encode("image", FeatureMatrix.FromRows(imageRows, imageRows[0].Length));
            var pipelineImages = images / clock.Elapsed.TotalSeconds;
            var bareImages = BareResNet(sessions, Frames(pngs));
            var split = ImageSplit(sessions, pngs);

            backbones.EmbedTexts(captions.Take(TextBatch).ToList());
            clock.Restart();
            var textRows = backbones.EmbedTexts(captions);
            model.Encode("text", textRows);
            var pipelineTexts = texts / clock.Elapsed.TotalSeconds;
            var bareTexts = BareMiniLm(sessions, captions);

            Console.WriteLine($"  images: pipeline {pipelineImages:N1}/s, bare ResNet18 {bareImages:N1}/s, overhead {Overhead(pipelineImages, bareImages):P1}");
            Console.WriteLine($"  texts: pipeline {pipelineTexts:N1}/s, bare MiniLM {bareTexts:N1}/s, overhead {Overhead(pipelineTexts, bareTexts):P1}");
            return new
            {
                images,
                texts,
                textBatch = TextBatch,
                pipelineImagesPerSecond = pipelineImages,
                bareImagesPerSecond = bareImages,
                imageOverhead = Overhead(pipelineImages, bareImages),
                imageSplit = split,
                pipelineTextsPerSecond = pipelineTexts,
                bareTextsPerSecond = bareTexts,
                textOverhead = Overhead(pipelineTexts, bareTexts),
            };
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Where an image's time goes, in ms per image: decoding the PNGs alone; the backbone from decoded bitmaps (frame
    /// drawing, pixel conversion, both sessions); and the whole pipeline path on a uniform grey PNG of the same size,
    /// which the bare sessions' constant frame resembles (the networks' speed may depend on what the pixels hold).
    /// </summary>
    private static object ImageSplit(OnnxSessionFactory sessions, byte[][] pngs)
    {
        using var resnet = new ResNet18Backbone(sessions);
        var clock = Stopwatch.StartNew();
        var decoded = pngs.Select(p => SKBitmap.Decode(p)).ToList();
        var decodeMs = clock.Elapsed.TotalMilliseconds / pngs.Length;
        resnet.Embed(decoded[0]);
        clock.Restart();
        decoded.ForEach(b => resnet.Embed(b));
        var fromBitmapMs = clock.Elapsed.TotalMilliseconds / pngs.Length;
        decoded.ForEach(b => b.Dispose());
        using var grey = new SKBitmap(DemoDataGenerator.ImageSize, DemoDataGenerator.ImageSize);
        grey.Erase(new SKColor(128, 128, 128));
        var greyPng = grey.Encode(SKEncodedImageFormat.Png, 100).ToArray();
        resnet.Embed(greyPng);
        clock.Restart();
        for (var i = 0; i < pngs.Length; i++)
        {
            resnet.Embed(greyPng);
        }

        var greyMs = clock.Elapsed.TotalMilliseconds / pngs.Length;
        Console.WriteLine($"  image split: decode {decodeMs:F2} ms, backbone from decoded bitmaps {fromBitmapMs:F2} ms, whole path on a uniform grey PNG {greyMs:F2} ms per image");
        return new { decodeMs, fromBitmapMs, greyPipelineMs = greyMs };
    }

    /// <summary>Share of the bare rate the pipeline loses: 1 - pipeline / bare.</summary>
    private static double Overhead(double pipeline, double bare) => 1 - (pipeline / bare);

    private static string TrainRandomModel(string folder)
    {
        var random = new Random(5);
        FeatureSplit Split(int rows)
        {
            FeatureMatrix Matrix(int columns) => new([.. Enumerable.Range(0, rows * columns).Select(_ => (float)random.NextDouble())], rows, columns);
            return new FeatureSplit(Matrix(512), Matrix(384), [.. Enumerable.Range(0, rows).Select(i => i % 10)]);
        }

        var info = new DatasetInfo("random", BackboneNames.ResNet18, BackboneNames.MiniLm, null);
        var model = Path.Combine(folder, "raw-model");
        new Ms2GanModelBuilder(NullLogger.Instance).Build(new FeatureDataset(folder, Split(200), Split(50), 10, info), new Ms2GanConfig { Epochs = 1 }, model);
        return model;
    }

    /// <summary>
    /// The images as the network sees them, made beforehand: scaled to 224x224 (the demo images are square, so no
    /// crop) as planar R, G, B floats 0-255. The bare sessions get the same images, not a constant frame: on a quiet
    /// machine the whole path ran a uniform grey PNG in 22.8 ms and demo images in 32.8 ms (ImageSplit), so the pixels matter.
    /// </summary>
    private static List<float[]> Frames(byte[][] pngs) => [.. pngs.Select(png =>
    {
        using var decoded = SKBitmap.Decode(png);
        using var frame = decoded.Resize(new SKImageInfo(224, 224, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell));
        var pixels = frame.GetPixelSpan();
        var planar = new float[3 * 224 * 224];
        for (var i = 0; i < 224 * 224; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                planar[(c * 224 * 224) + i] = pixels[(i * 4) + c];
            }
        }

        return planar;
    })];

    private static double BareResNet(OnnxSessionFactory sessions, List<float[]> frames)
    {
        using var preprocess = sessions.Create(Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNetPreprocess));
        using var network = sessions.Create(Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNet18));
        var input = preprocess.Session.InputMetadata.Single();
        var shape = input.Value.Dimensions.Select(d => (long)d).ToArray();
        var outputShape = network.Session.OutputMetadata.Single().Value.Dimensions.Select(d => (long)d).ToArray();
        var pixels = new float[shape.Aggregate(1L, (a, b) => a * b)];
        if (frames[0].Length != pixels.Length)
        {
            throw new InvalidOperationException($"ResNet18 takes {string.Join('x', shape)}, the frames have {frames[0].Length} values");
        }

        using var pixelsValue = OrtValue.CreateTensorValueFromMemory(pixels, shape);
        using var preprocessed = OrtValue.CreateTensorValueFromMemory(new float[pixels.Length], shape);
        using var features = OrtValue.CreateTensorValueFromMemory(new float[outputShape.Aggregate(1L, (a, b) => a * b)], outputShape);
        using var options = new RunOptions();
        string[] preIn = [input.Key], preOut = [preprocess.Session.OutputMetadata.Single().Key];
        string[] netIn = [network.Session.InputMetadata.Single().Key], netOut = [network.Session.OutputMetadata.Single().Key];
        void Once()
        {
            preprocess.Session.Run(options, preIn, [pixelsValue], preOut, [preprocessed]);
            network.Session.Run(options, netIn, [preprocessed], netOut, [features]);
        }

        frames[0].CopyTo(pixels, 0);
        Once();
        var clock = Stopwatch.StartNew();
        foreach (var frame in frames)
        {
            frame.CopyTo(pixels, 0);
            Once();
        }

        return frames.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The MiniLM session alone on the batches MiniLmBackbone makes of the same texts (tokenized, longest first, padded).</summary>
    private static double BareMiniLm(OnnxSessionFactory sessions, IReadOnlyList<string> texts)
    {
        var assembly = Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.MiniLmAssembly);
        using var session = sessions.Create(ManifestResourceReader.Read(assembly, MiniLmBackbone.ModelResource), "all-MiniLM-L6-v2");
        using var vocabulary = new MemoryStream(ManifestResourceReader.Read(assembly, MiniLmBackbone.VocabularyResource));
        var tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true, IndividuallyTokenizeCjk = true });
        var lengths = texts.Select(t => Math.Min(tokenizer.EncodeToIds(t, MiniLmBackbone.DefaultMaxTokens - 2, addSpecialTokens: false, out _, out _).Count + 2, MiniLmBackbone.DefaultMaxTokens))
            .OrderDescending().ToArray();
        var names = session.Session.InputMetadata.Keys.ToArray();
        var batches = lengths.Chunk(TextBatch).Select(chunk =>
        {
            long[] shape = [chunk.Length, chunk[0]];
            var ids = new long[chunk.Length * chunk[0]];
            var mask = new long[ids.Length];
            for (var r = 0; r < chunk.Length; r++)
            {
                for (var t = 0; t < chunk[r]; t++)
                {
                    ids[(r * chunk[0]) + t] = 1000 + t;
                    mask[(r * chunk[0]) + t] = 1;
                }
            }

            return names.Select(name => OrtValue.CreateTensorValueFromMemory(name == "attention_mask" ? mask : name == "input_ids" ? ids : new long[ids.Length], shape)).ToArray();
        }).ToList();
        using var options = new RunOptions();
        string[] output = ["last_hidden_state"];
        session.Session.Run(options, names, batches[0], output).Dispose();
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            session.Session.Run(options, names, batch, output).Dispose();
        }

        var rate = texts.Count / clock.Elapsed.TotalSeconds;
        batches.SelectMany(b => b).ToList().ForEach(v => v.Dispose());
        return rate;
    }
}
