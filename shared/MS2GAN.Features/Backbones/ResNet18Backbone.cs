using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using SkiaSharp;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// ResNet18 image features (512-d, the global average pool of the network from
/// Microsoft.ML.DnnImageFeaturizer.ResNet18). Owns its two sessions: <c>ResNetPreprocess.onnx</c>
/// (planar RGB 0-255 in; swaps to BGR and subtracts the ImageNet mean image) then <c>ResNet18.onnx</c>.
/// Images are drawn over white (alpha dropped), scaled to cover 224x224 and centre-cropped, as ML.NET's
/// default image resizer does. The models take one image per run, so calls are serialized; the input
/// and output buffers are allocated once and reused.
/// </summary>
public sealed class ResNet18Backbone : IDisposable
{
    /// <summary>Largest image accepted by default: 40 megapixels (checked from the header, before decoding).</summary>
    public const long DefaultMaxPixels = 40_000_000;

    private readonly OnnxSession _preprocess;
    private readonly OnnxSession _network;
    private readonly string[] _preprocessInput;
    private readonly string[] _preprocessOutput;
    private readonly string[] _networkInput;
    private readonly string[] _networkOutput;
    private readonly float[] _features;
    private readonly OrtValue[] _pixelsValue;
    private readonly OrtValue[] _preprocessedValue;
    private readonly OrtValue[] _featuresValue;
    private readonly RunOptions _runOptions = new();
    private readonly SKBitmap _frame;
    private readonly SKCanvas _canvas;
    private readonly float[] _pixels;
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Loads the two models.</summary>
    /// <param name="sessions">Creates the sessions on the preferred execution provider.</param>
    /// <param name="modelDirectory">The folder holding the model files; default <see cref="BackboneFiles.DefaultDirectory"/>.</param>
    /// <param name="maxPixels">Images with more pixels are refused before decoding.</param>
    /// <exception cref="FileNotFoundException">A model file is missing.</exception>
    /// <exception cref="DataFormatException">A model does not have the inputs and outputs expected of it.</exception>
    public ResNet18Backbone(OnnxSessionFactory sessions, string? modelDirectory = null, long maxPixels = DefaultMaxPixels)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        modelDirectory ??= BackboneFiles.DefaultDirectory;
        MaxPixels = maxPixels;
        var preprocessPath = Path.Combine(modelDirectory, BackboneFiles.ResNetPreprocess);
        var networkPath = Path.Combine(modelDirectory, BackboneFiles.ResNet18);

        var owned = new List<IDisposable> { _runOptions };
        try
        {
            _preprocess = sessions.Create(preprocessPath);
            owned.Add(_preprocess);
            _network = sessions.Create(networkPath);
            owned.Add(_network);

            var (preprocessIn, inputShape) = SingleFloat(_preprocess.Session.InputMetadata, preprocessPath, "input");
            var (preprocessOut, preprocessedShape) = SingleFloat(_preprocess.Session.OutputMetadata, preprocessPath, "output");
            var (networkIn, networkInputShape) = SingleFloat(_network.Session.InputMetadata, networkPath, "input");
            var (networkOut, outputShape) = SingleFloat(_network.Session.OutputMetadata, networkPath, "output");
            if (inputShape is not [1, 3, > 0, > 0])
            {
                throw new DataFormatException(preprocessPath, $"expected an input of shape [1, 3, height, width], found {Format(inputShape)}");
            }
            if (!preprocessedShape.SequenceEqual(inputShape) || !networkInputShape.SequenceEqual(inputShape))
            {
                throw new DataFormatException(networkPath,
                    $"the preprocessing output {Format(preprocessedShape)} and the network input {Format(networkInputShape)} must both be {Format(inputShape)}");
            }
            if (outputShape is not [1, > 0, ..] || outputShape[2..].Any(d => d != 1))
            {
                throw new DataFormatException(networkPath, $"expected a pooled output of shape [1, dim, 1, 1], found {Format(outputShape)}");
            }
            InputHeight = inputShape[2];
            InputWidth = inputShape[3];
            Dim = outputShape[1];
            _preprocessInput = [preprocessIn];
            _preprocessOutput = [preprocessOut];
            _networkOutput = [networkOut];
            _networkInput = [networkIn];

            var inputDims = inputShape.Select(d => (long)d).ToArray();
            _pixels = new float[3 * InputWidth * InputHeight];
            _features = new float[Dim];
            _pixelsValue = [Own(owned, OrtValue.CreateTensorValueFromMemory(_pixels, inputDims))];
            _preprocessedValue = [Own(owned, OrtValue.CreateTensorValueFromMemory(new float[_pixels.Length], inputDims))];
            _featuresValue = [Own(owned, OrtValue.CreateTensorValueFromMemory(_features, outputShape.Select(d => (long)d).ToArray()))];

            _frame = Own(owned, new SKBitmap(new SKImageInfo(InputWidth, InputHeight, SKColorType.Rgba8888, SKAlphaType.Premul)));
            _canvas = Own(owned, new SKCanvas(_frame));
        }
        catch
        {
            for (var i = owned.Count - 1; i >= 0; i--)
            {
                owned[i].Dispose();
            }
            throw;
        }
    }

    /// <summary>Width of the feature vector: 512.</summary>
    public int Dim { get; }

    /// <summary>Width of the image the network sees (224).</summary>
    public int InputWidth { get; }

    /// <summary>Height of the image the network sees (224).</summary>
    public int InputHeight { get; }

    /// <summary>Images with more pixels than this are refused before decoding.</summary>
    public long MaxPixels { get; }

    /// <summary>The execution provider running the network.</summary>
    public string Provider => _network.Provider;

    /// <summary>Features of one encoded image.</summary>
    /// <param name="encodedImage">JPEG, PNG or WebP bytes. The EXIF orientation is applied.</param>
    /// <returns>A new array of <see cref="Dim"/> values.</returns>
    /// <exception cref="InvalidDataException">
    /// The bytes are not a JPEG, PNG or WebP image, are corrupt, or the image has more than <see cref="MaxPixels"/> pixels.
    /// </exception>
    public float[] Embed(ReadOnlySpan<byte> encodedImage)
    {
        var features = new float[Dim];
        using (var bitmap = ImageDecoder.Decode(encodedImage, MaxPixels, InputWidth, InputHeight))
        {
            EmbedInto(bitmap, features);
        }
        return features;
    }

    /// <summary>Features of an already decoded image, in any colour type SkiaSharp can draw.</summary>
    /// <returns>A new array of <see cref="Dim"/> values.</returns>
    public float[] Embed(SKBitmap bitmap)
    {
        var features = new float[Dim];
        EmbedInto(bitmap, features);
        return features;
    }

    /// <summary>Features of several encoded images, one row each, in order.</summary>
    /// <param name="encodedImages">JPEG, PNG or WebP bytes.</param>
    /// <param name="progress">Told the number of images done after each image.</param>
    /// <param name="cancellationToken">Checked between images.</param>
    /// <exception cref="InvalidDataException">An image cannot be used; the message says which (by index) and why.</exception>
    public FeatureMatrix EmbedMany(IReadOnlyList<byte[]> encodedImages, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encodedImages);
        var result = new FeatureMatrix(new float[encodedImages.Count * Dim], encodedImages.Count, Dim);
        for (var i = 0; i < encodedImages.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SKBitmap bitmap;
            try
            {
                bitmap = ImageDecoder.Decode(encodedImages[i], MaxPixels, InputWidth, InputHeight);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"image {i.ToString(CultureInfo.InvariantCulture)}: {ex.Message}", ex);
            }
            using (bitmap)
            {
                EmbedInto(bitmap, result.Values.AsSpan(i * Dim, Dim));
            }
            progress?.Report(i + 1);
        }
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _canvas.Dispose();
            _frame.Dispose();
            _featuresValue[0].Dispose();
            _preprocessedValue[0].Dispose();
            _pixelsValue[0].Dispose();
            _network.Dispose();
            _preprocess.Dispose();
            _runOptions.Dispose();
        }
    }

    private void EmbedInto(SKBitmap bitmap, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (bitmap.Width <= 0 || bitmap.Height <= 0)
        {
            throw new ArgumentException("the bitmap has no pixels", nameof(bitmap));
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DrawFrame(bitmap);
            ToPlanarRgb(_frame.GetPixelSpan(), _pixels);
            _preprocess.Session.Run(_runOptions, _preprocessInput, _pixelsValue, _preprocessOutput, _preprocessedValue);
            _network.Session.Run(_runOptions, _networkInput, _preprocessedValue, _networkOutput, _featuresValue);
            _features.CopyTo(destination);
        }
    }

    /// <summary>Scales the bitmap to cover the frame, centre-crops it, and composites it over white.</summary>
    private void DrawFrame(SKBitmap bitmap)
    {
        var scale = Math.Max((float)InputWidth / bitmap.Width, (float)InputHeight / bitmap.Height);
        var cropWidth = InputWidth / scale;
        var cropHeight = InputHeight / scale;
        var source = SKRect.Create((bitmap.Width - cropWidth) / 2, (bitmap.Height - cropHeight) / 2, cropWidth, cropHeight);
        // Shrinking samples trilinearly from mipmaps (no aliasing); enlarging uses the Mitchell cubic.
        var sampling = scale < 1f
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        using var pixmap = bitmap.PeekPixels()
            ?? throw new ArgumentException("the bitmap's pixels cannot be read", nameof(bitmap));
        using var image = SKImage.FromPixels(pixmap)
            ?? throw new ArgumentException($"the bitmap's colour type {bitmap.ColorType} cannot be drawn", nameof(bitmap));
        _canvas.Clear(SKColors.White);
        _canvas.DrawImage(image, source, SKRect.Create(InputWidth, InputHeight), sampling);
        _canvas.Flush();
    }

    /// <summary>RGBA bytes (opaque after drawing over white) to planar R, G, B planes of 0-255 floats.</summary>
    /// <remarks>
    /// RGB, not BGR, is what the preprocessing graph takes: it splits its input into planes it names
    /// RInp, GInp, BInp, concatenates them as B, G, R and subtracts a mean image whose planes average
    /// 103, 116 and 123 (the ImageNet B, G, R means). The network after it sees BGR, as it was trained;
    /// ML.NET feeds this graph RGB too (ExtractPixels' default order).
    /// </remarks>
    private static void ToPlanarRgb(ReadOnlySpan<byte> rgba, Span<float> planar)
    {
        var plane = planar.Length / 3;
        var red = planar[..plane];
        var green = planar.Slice(plane, plane);
        var blue = planar.Slice(2 * plane, plane);
        for (int i = 0, p = 0; i < plane; i++, p += 4)
        {
            red[i] = rgba[p];
            green[i] = rgba[p + 1];
            blue[i] = rgba[p + 2];
        }
    }

    private static (string Name, int[] Shape) SingleFloat(IReadOnlyDictionary<string, NodeMetadata> nodes, string path, string role)
    {
        if (nodes.Count != 1)
        {
            throw new DataFormatException(path, $"expected one {role}, found {nodes.Count}: {string.Join(", ", nodes.Keys)}");
        }
        var (name, metadata) = nodes.First();
        if (metadata.ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float)
        {
            throw new DataFormatException(path, $"expected a float {role}, found {metadata.ElementDataType} for '{name}'");
        }
        return (name, metadata.Dimensions);
    }

    private static string Format(int[] shape) => $"[{string.Join(", ", shape)}]";

    private static T Own<T>(List<IDisposable> owned, T item) where T : IDisposable
    {
        owned.Add(item);
        return item;
    }
}
