using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using MS2GAN.Model.Export;

namespace MS2GAN.Model.Inference;

/// <summary>
/// Runs one exported MS2GAN encoder (see <see cref="OnnxExporter"/>) in ONNX Runtime. The one owner of
/// its <see cref="InferenceSession"/>; safe for concurrent <see cref="Encode"/> calls because
/// InferenceSession.Run is, and nothing else here is mutated after construction (on CUDA the runs take
/// turns on the pinned staging buffers).
/// </summary>
public sealed class OnnxEncoder : IDisposable
{
    /// <summary>Rows sent to ONNX Runtime in one run unless the caller asks otherwise.</summary>
    public const int DefaultMaxRowsPerRun = 4096;

    private static readonly string[] InputNames = [OnnxExporter.InputName];
    private static readonly string[] OutputNames = [OnnxExporter.SpecificOutputName, OnnxExporter.SharedOutputName];
    private static readonly string[] OutputNamesWithLabels = [.. OutputNames, OnnxExporter.ProbabilitiesOutputName];

    private readonly OnnxSession _owner;
    private readonly InferenceSession _session;
    // On CUDA: input, specific and shared rows staged in page-locked memory, so that the copies to and from the
    // device are direct transfers rather than staged by the driver; null on the CPU, where the caller's arrays
    // are bound as they are.
    private readonly HostBuffer[]? _pinned;
    private int _disposed;

    /// <summary>
    /// Takes ownership of <paramref name="session"/>, which must hold a model written by
    /// <see cref="OnnxExporter"/>, and reads the modality and dimensions from its metadata.
    /// </summary>
    /// <param name="session">The session from <see cref="OnnxSessionFactory"/>; disposed with this encoder, also when this constructor throws.</param>
    /// <param name="logger">Where the loaded model and the provider it runs on are reported.</param>
    /// <param name="maxRowsPerRun">Largest batch given to one session run; bigger inputs are split to bound device memory.</param>
    /// <exception cref="DataFormatException">The model is not an MS2GAN encoder or its metadata disagrees with its graph.</exception>
    public OnnxEncoder(OnnxSession session, ILogger<OnnxEncoder>? logger = null, int maxRowsPerRun = DefaultMaxRowsPerRun)
        : this(session, session?.ModelName ?? "", logger, maxRowsPerRun)
    {
    }

    private OnnxEncoder(OnnxSession session, string source, ILogger<OnnxEncoder>? logger, int maxRowsPerRun)
    {
        ArgumentNullException.ThrowIfNull(session);
        try
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxRowsPerRun, 1);
            _session = session.Session;
            var metadata = _session.ModelMetadata.CustomMetadataMap;
            Modality = Read(metadata, OnnxExporter.ModalityKey, source);
            InputDim = ReadDim(metadata, OnnxExporter.InputDimKey, source);
            SpecificDim = ReadDim(metadata, OnnxExporter.SpecificDimKey, source);
            SharedDim = ReadDim(metadata, OnnxExporter.SharedDimKey, source);
            CheckGraph(_session.InputMetadata, OnnxExporter.InputName, InputDim, source);
            CheckGraph(_session.OutputMetadata, OnnxExporter.SpecificOutputName, SpecificDim, source);
            CheckGraph(_session.OutputMetadata, OnnxExporter.SharedOutputName, SharedDim, source);
            // Encoders exported before the label head have no probability output; they still encode.
            if (metadata.ContainsKey(OnnxExporter.ClassCountKey))
            {
                ClassCount = ReadDim(metadata, OnnxExporter.ClassCountKey, source);
                CheckGraph(_session.OutputMetadata, OnnxExporter.ProbabilitiesOutputName, ClassCount, source);
            }
            _owner = session;
            Provider = session.Provider;
            MaxRowsPerRun = maxRowsPerRun;
            if (session.IsCuda)
            {
                _pinned = new HostBuffer[3];
                _pinned[0] = HostBuffer.Allocate(session, maxRowsPerRun * InputDim);
                _pinned[1] = HostBuffer.Allocate(session, maxRowsPerRun * SpecificDim);
                _pinned[2] = HostBuffer.Allocate(session, maxRowsPerRun * SharedDim);
            }
        }
        catch
        {
            Array.ForEach(_pinned ?? [], b => b?.Dispose());
            session.Dispose();
            throw;
        }
        (logger ?? NullLogger<OnnxEncoder>.Instance).LogInformation(
            "Loaded {Modality} encoder {Source} ({InputDim} -> specific {SpecificDim}, shared {SharedDim}, {ClassCount} class probabilities) on {Provider}",
            Modality, source, InputDim, SpecificDim, SharedDim, ClassCount, Provider);
    }

    /// <summary>Loads the encoder exported to <paramref name="path"/> on the provider <paramref name="factory"/> chooses.</summary>
    /// <param name="path">An .onnx file written by <see cref="OnnxExporter.Export"/>.</param>
    /// <param name="factory">Creates the session (CUDA or CPU, as configured).</param>
    /// <param name="logger">Where the loaded model and the provider it runs on are reported.</param>
    /// <param name="maxRowsPerRun">Largest batch given to one session run.</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="DataFormatException">The file is not an MS2GAN encoder.</exception>
    /// <exception cref="OnnxRuntimeUnavailableException">CUDA was required but cannot be used.</exception>
    public static OnnxEncoder Open(string path, OnnxSessionFactory factory, ILogger<OnnxEncoder>? logger = null,
        int maxRowsPerRun = DefaultMaxRowsPerRun)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(factory);
        return new OnnxEncoder(factory.Create(path), Path.GetFullPath(path), logger, maxRowsPerRun);
    }

    /// <summary>The modality this encoder was exported for ("image" or "text").</summary>
    public string Modality { get; }

    /// <summary>Width of the base features it accepts.</summary>
    public int InputDim { get; }

    /// <summary>Width of the specific output.</summary>
    public int SpecificDim { get; }

    /// <summary>Width of the shared output.</summary>
    public int SharedDim { get; }

    /// <summary>Number of classes of the probability output; 0 when the encoder has none.</summary>
    public int ClassCount { get; }

    /// <summary>The ONNX Runtime execution provider the session runs on.</summary>
    public string Provider { get; }

    /// <summary>Largest number of rows given to one session run.</summary>
    public int MaxRowsPerRun { get; }

    /// <summary>
    /// Encodes every row of <paramref name="features"/>. Inputs and outputs are bound to the managed
    /// arrays directly (no copies on the CPU provider); an empty batch returns empty matrices without
    /// running the model.
    /// </summary>
    /// <param name="features">Base features, <see cref="InputDim"/> columns.</param>
    /// <exception cref="ArgumentException">The features have a different width than the model expects.</exception>
    public EncodedBatch Encode(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        features.Validate();
        if (features.Columns != InputDim)
        {
            throw new ArgumentException(
                $"{Modality} features have {features.Columns} dimensions but this model's {Modality} encoder expects {InputDim}",
                nameof(features));
        }

        var rows = features.Rows;
        var specific = new float[(long)rows * SpecificDim];
        var shared = new float[(long)rows * SharedDim];
        var probabilities = ClassCount > 0 ? new float[(long)rows * ClassCount] : null;
        for (var start = 0; start < rows; start += MaxRowsPerRun)
        {
            var count = Math.Min(MaxRowsPerRun, rows - start);
            if (_pinned is not null)
            {
                RunPinned(features.Values, specific, shared, start, count);
                continue;
            }
            using var input = Bind(features.Values, start, count, InputDim);
            using var specificOut = Bind(specific, start, count, SpecificDim);
            using var sharedOut = Bind(shared, start, count, SharedDim);
            if (probabilities is null)
            {
                _session.Run(null, InputNames, [input], OutputNames, [specificOut, sharedOut]);
                continue;
            }
            using var probabilitiesOut = Bind(probabilities, start, count, ClassCount);
            _session.Run(null, InputNames, [input], OutputNamesWithLabels, [specificOut, sharedOut, probabilitiesOut]);
        }
        return new EncodedBatch(new FeatureMatrix(specific, rows, SpecificDim), new FeatureMatrix(shared, rows, SharedDim),
            probabilities is null ? null : new FeatureMatrix(probabilities, rows, ClassCount));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (_pinned is not null)
            {
                lock (_pinned)
                {
                    Array.ForEach(_pinned, b => b.Dispose());
                }
            }
            _owner.Dispose();
        }
    }

    private void RunPinned(float[] features, float[] specific, float[] shared, int start, int count)
    {
        var (input, specificRows, sharedRows) = (_pinned![0], _pinned[1], _pinned[2]);
        lock (_pinned)
        {
            features.AsSpan(start * InputDim, count * InputDim).CopyTo(input.Span);
            using var inputView = input.View(count, InputDim);
            using var specificView = specificRows.View(count, SpecificDim);
            using var sharedView = sharedRows.View(count, SharedDim);
            _session.Run(null, InputNames, [inputView], OutputNames, [specificView, sharedView]);
            specificRows.Span[..(count * SpecificDim)].CopyTo(specific.AsSpan(start * SpecificDim));
            sharedRows.Span[..(count * SharedDim)].CopyTo(shared.AsSpan(start * SharedDim));
        }
    }

    private static OrtValue Bind(float[] values, int startRow, int rows, int columns) =>
        OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance,
            values.AsMemory(startRow * columns, rows * columns),
            [rows, columns]);

    private static string Read(IReadOnlyDictionary<string, string> metadata, string key, string source) =>
        metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new DataFormatException(source, $"not an MS2GAN encoder: its metadata has no '{key}'");

    private static int ReadDim(IReadOnlyDictionary<string, string> metadata, string key, string source)
    {
        var text = Read(metadata, key, source);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new DataFormatException(source, $"metadata '{key}' is '{text}', expected a positive integer");
    }

    private static void CheckGraph(IReadOnlyDictionary<string, NodeMetadata> values, string name, int columns, string source)
    {
        if (!values.TryGetValue(name, out var node))
        {
            throw new DataFormatException(source, $"no '{name}' tensor; it was not written by {nameof(OnnxExporter)}");
        }
        var shape = node.Dimensions;
        if (node.ElementDataType != TensorElementType.Float || shape.Length != 2 || shape[1] != columns)
        {
            throw new DataFormatException(source,
                $"declares '{name}' as {node.ElementDataType} [{string.Join(", ", shape)}] but its metadata says float [batch, {columns}]");
        }
    }
}
