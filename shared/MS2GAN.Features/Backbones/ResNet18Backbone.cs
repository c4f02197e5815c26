using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using SkiaSharp;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// ResNet18 image features (512-d, the global average pool of the network from
/// Microsoft.ML.DnnImageFeaturizer.ResNet18). The package's <c>ResNetPreprocess.onnx</c> (planar RGB 0-255 in;
/// swaps to BGR and subtracts the ImageNet mean image) and <c>ResNet18.onnx</c>, both fixed at one image, are
/// merged when loaded into one session whose batch dimension is symbolic (<see cref="ResNetGraph"/>), so images
/// run <see cref="BatchSize"/> at a time. Images are drawn over white (alpha dropped), scaled to cover 224x224
/// and centre-cropped, as ML.NET's default image resizer does. While the session runs one batch, the next one is
/// decoded, drawn and converted on another thread. Safe for concurrent calls: batches are serialized among
/// themselves, and single images have their own buffers, so a query never waits behind a whole batch.
/// </summary>
public sealed class ResNet18Backbone : IDisposable
{
    /// <summary>Largest image accepted by default: 40 megapixels (checked from the header, before decoding).</summary>
    public const long DefaultMaxPixels = 40_000_000;

    /// <summary>Images per session run by default.</summary>
    public const int DefaultBatchSize = 16;

    private readonly OnnxSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();
    private readonly FrameBatch _single;
    private readonly Lazy<FrameBatch[]> _batches;
    private readonly ImageStageClock _clock = new();
    private readonly Lock _singleGate = new();
    private readonly Lock _batchGate = new();
    private bool _disposed;

    /// <summary>Loads the two models as one batched session.</summary>
    /// <param name="sessions">Creates the session on the preferred execution provider.</param>
    /// <param name="modelDirectory">The folder holding the model files; default <see cref="BackboneFiles.DefaultDirectory"/>.</param>
    /// <param name="maxPixels">Images with more pixels are refused before decoding.</param>
    /// <param name="batchSize">Images per session run in <see cref="EmbedBatch"/> and <see cref="EmbedMany"/>.</param>
    /// <param name="overlapPreparation">Prepare the next batch while the session runs this one (true), or after it.</param>
    /// <exception cref="FileNotFoundException">A model file is missing.</exception>
    /// <exception cref="DataFormatException">A model does not have the inputs and outputs expected of it, or cannot be batched.</exception>
    public ResNet18Backbone(OnnxSessionFactory sessions, string? modelDirectory = null, long maxPixels = DefaultMaxPixels,
        int batchSize = DefaultBatchSize, bool overlapPreparation = true)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 1024);
        modelDirectory ??= BackboneFiles.DefaultDirectory;
        MaxPixels = maxPixels;
        BatchSize = batchSize;
        OverlapsPreparation = overlapPreparation;
        var model = ResNetGraph.Build(Path.Combine(modelDirectory, BackboneFiles.ResNetPreprocess), Path.Combine(modelDirectory, BackboneFiles.ResNet18));
        InputHeight = model.Height;
        InputWidth = model.Width;
        Dim = model.Dim;
        _inputNames = [model.InputName];
        _outputNames = [model.OutputName];

        _session = sessions.Create(model.Model, $"{BackboneFiles.ResNetPreprocess} + {BackboneFiles.ResNet18} (batched)");
        try
        {
            _single = new FrameBatch(_session, 1, InputWidth, InputHeight, Dim, preparers: 1);
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw;
        }
        // Two batches' buffers (about 10 MB each at 16 images) only once a batch is asked for: a search process
        // embeds one query image at a time.
        _batches = new Lazy<FrameBatch[]>(() =>
        {
            var first = new FrameBatch(_session, BatchSize, InputWidth, InputHeight, Dim, PreparingThreads);
            try
            {
                return [first, new FrameBatch(_session, BatchSize, InputWidth, InputHeight, Dim, PreparingThreads)];
            }
            catch
            {
                first.Dispose();
                throw;
            }
        });
    }

    /// <summary>Width of the feature vector: 512.</summary>
    public int Dim { get; }

    /// <summary>Width of the image the network sees (224).</summary>
    public int InputWidth { get; }

    /// <summary>Height of the image the network sees (224).</summary>
    public int InputHeight { get; }

    /// <summary>Images with more pixels than this are refused before decoding.</summary>
    public long MaxPixels { get; }

    /// <summary>Images per session run in the batched methods.</summary>
    public int BatchSize { get; }

    /// <summary>Whether the next batch is prepared while the session runs this one.</summary>
    public bool OverlapsPreparation { get; }

    /// <summary>
    /// Threads that decode and draw one batch: one beside a CPU session, which keeps every core busy itself; every
    /// core beside a CUDA session, where preparing the images, not the network, is what bounds the rate.
    /// </summary>
    public int PreparingThreads => _session.IsCuda ? Environment.ProcessorCount : 1;

    /// <summary>Whether the session's input and output buffers are page-locked for CUDA transfers.</summary>
    public bool UsesPinnedMemory => _single.Pixels.IsPinned;

    /// <summary>The execution provider running the network.</summary>
    public string Provider => _session.Provider;

    /// <summary>Where the time of every image embedded so far went (take two snapshots and <see cref="ImageStageTimes.Since"/>).</summary>
    public ImageStageTimes StageTimes => _clock.Snapshot();

    /// <summary>Features of one encoded image.</summary>
    /// <param name="encodedImage">JPEG, PNG or WebP bytes. The EXIF orientation is applied.</param>
    /// <returns>A new array of <see cref="Dim"/> values.</returns>
    /// <exception cref="InvalidDataException">
    /// The bytes are not a JPEG, PNG or WebP image, are corrupt, or the image has more than <see cref="MaxPixels"/> pixels.
    /// </exception>
    public float[] Embed(ReadOnlySpan<byte> encodedImage)
    {
        var started = ImageStageClock.Now;
        using var bitmap = ImageDecoder.Decode(encodedImage, MaxPixels, InputWidth, InputHeight);
        return EmbedOne(bitmap, _clock.Decoded(started));
    }

    /// <summary>Features of an already decoded image, in any colour type SkiaSharp can draw.</summary>
    /// <returns>A new array of <see cref="Dim"/> values.</returns>
    public float[] Embed(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (bitmap.Width <= 0 || bitmap.Height <= 0)
        {
            throw new ArgumentException("the bitmap has no pixels", nameof(bitmap));
        }
        return EmbedOne(bitmap, ImageStageClock.Now);
    }

    /// <summary>
    /// Features of several encoded images, <see cref="BatchSize"/> per session run, each image's result on its
    /// own: an image that cannot be used gets its error and the others are embedded as usual.
    /// </summary>
    /// <param name="encodedImages">JPEG, PNG or WebP bytes.</param>
    /// <param name="progress">Told the number of images done after each batch.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>One result per image, in order.</returns>
    public IReadOnlyList<ImageEmbedding> EmbedBatch(IReadOnlyList<ReadOnlyMemory<byte>> encodedImages, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encodedImages);
        var results = new ImageEmbedding[encodedImages.Count];
        EmbedInBatches(encodedImages.Count, i => encodedImages[i],
            (i, features) => results[i] = ImageEmbedding.Success(features.ToArray()),
            (i, error) => results[i] = ImageEmbedding.Failure(error),
            progress, cancellationToken);
        return results;
    }

    /// <summary>Features of several encoded images, one row each, in order, <see cref="BatchSize"/> per session run.</summary>
    /// <param name="encodedImages">JPEG, PNG or WebP bytes; read one batch at a time, so a lazy list is never held whole.</param>
    /// <param name="progress">Told the number of images done after each batch.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <exception cref="InvalidDataException">An image cannot be used; the message says which (by index) and why.</exception>
    public FeatureMatrix EmbedMany(IReadOnlyList<byte[]> encodedImages, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encodedImages);
        var result = new FeatureMatrix(new float[encodedImages.Count * Dim], encodedImages.Count, Dim);
        var errors = new string?[encodedImages.Count];
        EmbedInBatches(encodedImages.Count, i => encodedImages[i],
            (i, features) => features.CopyTo(result.Values.AsSpan(i * Dim, Dim)),
            (i, error) => errors[i] = error,
            progress, cancellationToken);
        var first = Array.FindIndex(errors, e => e is not null);
        if (first >= 0)
        {
            throw new InvalidDataException($"image {first.ToString(CultureInfo.InvariantCulture)}: {errors[first]}");
        }
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_batchGate)
        lock (_singleGate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            if (_batches.IsValueCreated)
            {
                Array.ForEach(_batches.Value, b => b.Dispose());
            }
            _single.Dispose();
            _session.Dispose();
            _runOptions.Dispose();
        }
    }

    private float[] EmbedOne(SKBitmap bitmap, long since)
    {
        var features = new float[Dim];
        lock (_singleGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _single.Clear();
            _single.Add(0, bitmap, _clock, since);
            Run(_single, (_, row) => row.CopyTo(features));
        }
        return features;
    }

    /// <summary>
    /// The batched path: batch k + 1 is prepared (decoded, drawn, converted) on a pool thread into the other
    /// buffers while the session runs batch k. Results go to the callbacks by the caller's index, from either thread,
    /// never twice for one index.
    /// </summary>
    private void EmbedInBatches(int count, Func<int, ReadOnlyMemory<byte>> image, RowAction embedded, Action<int, string> refused,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }
        lock (_batchGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var batches = _batches.Value;
            Prepare(batches[0], image, 0, count, refused);
            for (var start = 0; start < count; start += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var current = batches[start / BatchSize % 2];
                var following = batches[(start / BatchSize + 1) % 2];
                var next = start + BatchSize;
                var preparing = next < count && OverlapsPreparation
                    ? Task.Run(() => Prepare(following, image, next, count, refused), CancellationToken.None)
                    : null;
                try
                {
                    Run(current, embedded);
                }
                catch when (preparing is not null)
                {
                    // The other buffers are still being filled: they must be left alone before the lock is released.
                    ((IAsyncResult)preparing).AsyncWaitHandle.WaitOne();
                    throw;
                }
                if (preparing is not null)
                {
                    var waiting = ImageStageClock.Now;
                    preparing.GetAwaiter().GetResult();
                    _clock.Waited(waiting);
                }
                else if (next < count)
                {
                    Prepare(following, image, next, count, refused);
                }
                progress?.Report(Math.Min(next, count));
            }
        }
    }

    private void Prepare(FrameBatch batch, Func<int, ReadOnlyMemory<byte>> image, int start, int count, Action<int, string> refused) =>
        batch.Prepare(start, Math.Min(start + BatchSize, count), image, MaxPixels, refused, _clock);

    private void Run(FrameBatch batch, RowAction embedded)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var started = ImageStageClock.Now;
        batch.Run(_session, _inputNames, _outputNames, _runOptions);
        _clock.Batch();
        started = _clock.Ran(started);
        for (var row = 0; row < batch.Count; row++)
        {
            embedded(batch.Items[row], batch.FeaturesOf(row));
        }
        _clock.Copied(started);
    }

    private delegate void RowAction(int item, ReadOnlySpan<float> features);
}
