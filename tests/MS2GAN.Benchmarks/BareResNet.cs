using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Onnx;
using SkiaSharp;

namespace MS2GAN.Benchmarks;

/// <summary>
/// The peer of raw image encoding: the package's two ResNet18 graphs as shipped (batch fixed at 1), each in its own
/// session from the same factory, on frames prepared beforehand (decoded, scaled to 224x224, planar RGB floats), with
/// the input and output buffers allocated once: what a user gets from the bare sessions with nothing around them.
/// </summary>
internal sealed class BareResNet : IDisposable
{
    private readonly OnnxSession _preprocess;
    private readonly OnnxSession _network;
    private readonly List<float[]> _frames;
    private readonly float[] _pixels;
    private readonly OrtValue _pixelsValue;
    private readonly OrtValue _preprocessed;
    private readonly OrtValue _features;
    private readonly RunOptions _options = new();
    private readonly string[] _preIn, _preOut, _netIn, _netOut;

    public BareResNet(OnnxSessionFactory sessions, byte[][] pngs)
    {
        _preprocess = sessions.Create(Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNetPreprocess));
        _network = sessions.Create(Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNet18));
        var input = _preprocess.Session.InputMetadata.Single();
        var shape = input.Value.Dimensions.Select(d => (long)d).ToArray();
        var outputShape = _network.Session.OutputMetadata.Single().Value.Dimensions.Select(d => (long)d).ToArray();
        _pixels = new float[shape.Aggregate(1L, (a, b) => a * b)];
        _frames = Frames(pngs);
        if (_frames[0].Length != _pixels.Length)
        {
            throw new InvalidOperationException($"ResNet18 takes {string.Join('x', shape)}, the frames have {_frames[0].Length} values");
        }
        _pixelsValue = OrtValue.CreateTensorValueFromMemory(_pixels, shape);
        _preprocessed = OrtValue.CreateTensorValueFromMemory(new float[_pixels.Length], shape);
        _features = OrtValue.CreateTensorValueFromMemory(new float[outputShape.Aggregate(1L, (a, b) => a * b)], outputShape);
        (_preIn, _preOut) = ([input.Key], [_preprocess.Session.OutputMetadata.Single().Key]);
        (_netIn, _netOut) = ([_network.Session.InputMetadata.Single().Key], [_network.Session.OutputMetadata.Single().Key]);
        _frames[0].CopyTo(_pixels, 0);
        Once();
    }

    /// <summary>The provider the network session runs on (the factory's, as for the pipeline).</summary>
    public string Provider => _network.Provider;

    /// <summary>Images per second over every frame, one session run of each graph per image.</summary>
    public double Rate()
    {
        var clock = Stopwatch.StartNew();
        foreach (var frame in _frames)
        {
            frame.CopyTo(_pixels, 0);
            Once();
        }
        return _frames.Count / clock.Elapsed.TotalSeconds;
    }

    public void Dispose()
    {
        _features.Dispose();
        _preprocessed.Dispose();
        _pixelsValue.Dispose();
        _options.Dispose();
        _network.Dispose();
        _preprocess.Dispose();
    }

    private void Once()
    {
        _preprocess.Session.Run(_options, _preIn, [_pixelsValue], _preOut, [_preprocessed]);
        _network.Session.Run(_options, _netIn, [_preprocessed], _netOut, [_features]);
    }

    /// <summary>
    /// The images as the network sees them, made beforehand: scaled to 224x224 (the demo images are square, so no
    /// crop) as planar R, G, B floats 0-255. The bare sessions get the same images, not a constant frame: on a quiet
    /// machine the whole path ran a uniform grey PNG in 22.8 ms and demo images in 32.8 ms, so the pixels matter.
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
}
