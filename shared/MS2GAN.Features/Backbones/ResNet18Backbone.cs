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
/// merged when loaded into one graph whose batch dimension is symbolic (<see cref="ResNetGraph"/>), so images
/// run <see cref="BatchSize"/> at a time. Images are drawn over white (alpha dropped), scaled to cover 224x224
/// and centre-cropped, as ML.NET's default image resizer does.
/// <para>
/// Batches run on <see cref="Lanes"/> threads at once, each preparing (decoding, drawing, converting) a batch and
/// then running it, so one lane's preparation overlaps the others' session runs. On the CPU there is a lane per
/// core, each on a session of its own thread (see <see cref="DefaultBatchSize"/> for the measurement); single
/// images (a search query) run on a session that spreads one image over every core, for latency. On CUDA two
/// lanes share the one session and every core prepares each batch. Safe for concurrent calls: batched calls take
/// turns, and single images have their own buffers and session, so a query never waits behind a batch.
/// </para>
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
    private readonly Lazy<OnnxSession> _laneSession;
    private readonly Lazy<FrameBatch[]> _laneBatches;
    private readonly ImageStageClock _clock = new();
    private readonly Lock _singleGate = new();
    private readonly Lock _batchGate = new();
    private bool _disposed;

    /// <summary>Loads the two models as one batched graph.</summary>
    /// <param name="sessions">Creates the sessions on the preferred execution provider.</param>
    /// <param name="modelDirectory">The folder holding the model files; default <see cref="BackboneFiles.DefaultDirectory"/>.</param>
    /// <param name="maxPixels">Images with more pixels are refused before decoding.</param>
    /// <param name="batchSize">Images per session run in <see cref="EmbedBatch"/> and <see cref="EmbedMany"/>.</param>
    /// <param name="lanes">Batches prepared and run at once; 0 for the default (a lane per intra-op thread the factory allows on the CPU, two on CUDA).</param>
    /// <exception cref="FileNotFoundException">A model file is missing.</exception>
    /// <exception cref="DataFormatException">A model does not have the inputs and outputs expected of it, or cannot be batched.</exception>
    public ResNet18Backbone(OnnxSessionFactory sessions, string? modelDirectory = null, long maxPixels = DefaultMaxPixels,
        int batchSize = DefaultBatchSize, int lanes = 0)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 1024);
        ArgumentOutOfRangeException.ThrowIfNegative(lanes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lanes, 256);
        modelDirectory ??= BackboneFiles.DefaultDirectory;
        MaxPixels = maxPixels;
        BatchSize = batchSize;
        var preprocessPath = Path.Combine(modelDirectory, BackboneFiles.ResNetPreprocess);
        var networkPath = Path.Combine(modelDirectory, BackboneFiles.ResNet18);
        var model = ResNetGraph.Build(preprocessPath, networkPath);
        InputHeight = model.Height;
        InputWidth = model.Width;
        Dim = model.Dim;
        _inputNames = [model.InputName];
        _outputNames = [model.OutputName];
        var name = $"{BackboneFiles.ResNetPreprocess} + {BackboneFiles.ResNet18} (batched)";

        _session = sessions.Create(model.Model, name);
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
        Lanes = lanes > 0 ? lanes : _session.IsCuda ? 2 : sessions.Options.EffectiveIntraOpThreads;
        // The lanes' session and buffers (about 10 MB per lane at 16 images) only once a batch is asked for: a search
        // process embeds one query at a time. On the CPU the lanes share a session of one thread per run (rebuilt from
        // the files then, rather than holding the model's bytes); one lane, or CUDA, needs nothing but the first session.
        _laneSession = new Lazy<OnnxSession>(() => Lanes == 1 || _session.IsCuda
            ? _session
            : sessions.Create(ResNetGraph.Build(preprocessPath, networkPath).Model, name + ", one thread per lane", intraOpThreads: 1));
        _laneBatches = new Lazy<FrameBatch[]>(() =>
        {
            var batches = new List<FrameBatch>();
            try
            {
                for (var i = 0; i < Lanes; i++)
                {
                    batches.Add(new FrameBatch(_laneSession.Value, BatchSize, InputWidth, InputHeight, Dim, PreparingThreads));
                }
                return [.. batches];
            }
            catch
            {
                batches.ForEach(b => b.Dispose());
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

    /// <summary>Batches prepared and run at once by the batched methods.</summary>
    public int Lanes { get; }

    /// <summary>
    /// Threads that decode and draw one batch: one on the CPU, where every core already runs a lane; every core
    /// beside a CUDA session, where preparing the images, not the network, is what bounds the rate.
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
            if (_laneBatches.IsValueCreated)
            {
                Array.ForEach(_laneBatches.Value, b => b.Dispose());
            }
            if (_laneSession.IsValueCreated && _laneSession.Value != _session)
            {
                _laneSession.Value.Dispose();
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
            Run(_single, _session, (_, row) => row.CopyTo(features));
        }
        return features;
    }

    /// <summary>
    /// The batched path: <see cref="Lanes"/> threads (the caller and pool threads) take the next batch in turn,
    /// prepare it into their own buffers and run it. Results go to the callbacks by the caller's index, from any
    /// lane, never twice for one index.
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
            var session = _laneSession.Value;
            var batches = _laneBatches.Value;
            var done = 0;
            var reporting = new Lock();
            LaneRunner.Run(batches.Length, (count + BatchSize - 1) / BatchSize, (lane, chunk) =>
            {
                var batch = batches[lane];
                var start = chunk * BatchSize;
                var end = Math.Min(start + BatchSize, count);
                batch.Prepare(start, end, image, MaxPixels, refused, _clock);
                Run(batch, session, embedded);
                if (progress is not null)
                {
                    lock (reporting)
                    {
                        done += end - start;
                        progress.Report(done);
                    }
                }
            }, cancellationToken);
        }
    }

    private void Run(FrameBatch batch, OnnxSession session, RowAction embedded)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var started = ImageStageClock.Now;
        batch.Run(session, _inputNames, _outputNames, _runOptions);
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
