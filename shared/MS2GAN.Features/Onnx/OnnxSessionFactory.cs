using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace MS2GAN.Features.Onnx;

/// <summary>
/// Creates ONNX Runtime sessions on the execution provider asked for in <see cref="OnnxRuntimeOptions"/>:
/// CUDA when asked for and present, a CPU fallback only under <see cref="ExecutionPreference.Auto"/>,
/// and the log says which provider runs each model. Safe to share between threads.
/// </summary>
public sealed class OnnxSessionFactory
{
    /// <summary>ONNX Runtime's name for the CUDA execution provider.</summary>
    public const string CudaProvider = "CUDAExecutionProvider";

    /// <summary>ONNX Runtime's name for the CPU execution provider.</summary>
    public const string CpuProvider = "CPUExecutionProvider";

    private readonly OnnxRuntimeOptions _options;
    private readonly ILogger _logger;

    // Whether CUDA loads is a property of the process (native libraries, driver), so after one
    // failure under Auto the later sessions go straight to the CPU instead of failing and warning again.
    private volatile string? _cudaUnavailableReason;
    private int _announced;

    /// <summary>Creates a factory.</summary>
    /// <param name="options">Provider preference and threading; null for the defaults (Auto, one thread per core).</param>
    /// <param name="logger">Where the provider of each session, and why CUDA was not used, are reported.</param>
    public OnnxSessionFactory(OnnxRuntimeOptions? options = null, ILogger<OnnxSessionFactory>? logger = null)
    {
        _options = (options ?? new OnnxRuntimeOptions()).Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The options sessions are created with.</summary>
    public OnnxRuntimeOptions Options => _options;

    /// <summary>Creates a session for the model file at <paramref name="modelPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="OnnxRuntimeUnavailableException">CUDA was required but cannot be used.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejects the model.</exception>
    public OnnxSession Create(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"ONNX model not found: {modelPath}", modelPath);
        }
        return Create(Path.GetFileName(modelPath), _options.EffectiveIntraOpThreads, options => new InferenceSession(modelPath, options));
    }

    /// <summary>Creates a session for a model held in memory.</summary>
    /// <param name="model">The serialized ONNX model.</param>
    /// <param name="modelName">A name for logs and errors.</param>
    /// <exception cref="OnnxRuntimeUnavailableException">CUDA was required but cannot be used.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejects the model.</exception>
    public OnnxSession Create(byte[] model, string modelName) => Create(model, modelName, 0);

    /// <summary>Creates a session for a model held in memory, with a thread count of its own.</summary>
    /// <param name="model">The serialized ONNX model.</param>
    /// <param name="modelName">A name for logs and errors.</param>
    /// <param name="intraOpThreads">
    /// Threads one CPU operator of this session may use; 0 for <see cref="OnnxRuntimeOptions.IntraOpThreads"/>. One
    /// suits a session that several threads run at once, each on its own batch: no operator then waits for another
    /// thread to finish its share.
    /// </param>
    /// <exception cref="OnnxRuntimeUnavailableException">CUDA was required but cannot be used.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejects the model.</exception>
    public OnnxSession Create(byte[] model, string modelName, int intraOpThreads)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        return Create(modelName, intraOpThreads > 0 ? intraOpThreads : _options.EffectiveIntraOpThreads, options => new InferenceSession(model, options));
    }

    private OnnxSession Create(string modelName, int threads, Func<SessionOptions, InferenceSession> open)
    {
        if (_options.Preference == ExecutionPreference.Cpu)
        {
            return OpenOnCpu(modelName, threads, open, "the Cpu preference was chosen");
        }
        if (_options.Preference == ExecutionPreference.Auto && _cudaUnavailableReason is { } known)
        {
            return OpenOnCpu(modelName, threads, open, known);
        }
        if (CudaLibraries.UnavailableReason is { } missing)
        {
            // Found before the provider is appended: ONNX Runtime would otherwise print its own error to stderr.
            if (_options.Preference == ExecutionPreference.Cuda)
            {
                throw new OnnxRuntimeUnavailableException(
                    $"the CUDA execution provider was required for {modelName} but cannot be used: {missing}; " +
                    "choose the Auto or Cpu preference to run on the CPU instead.");
            }
            _cudaUnavailableReason = $"CUDA is not available here: {missing}";
            return OpenOnCpu(modelName, threads, open, _cudaUnavailableReason);
        }

        string reason;
        var options = NewOptions(threads);
        try
        {
            options.AppendExecutionProvider_CUDA(_options.CudaDeviceId);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            options.Dispose();
            reason = FirstLine(ex.Message);
            if (_options.Preference == ExecutionPreference.Cuda)
            {
                throw new OnnxRuntimeUnavailableException(
                    $"the CUDA execution provider was required for {modelName} but cannot be used: {reason}. " +
                    "It needs an NVIDIA GPU with the CUDA 13 and cuDNN 9 libraries on the library path; " +
                    "choose the Auto or Cpu preference to run on the CPU instead.", ex);
            }
            _cudaUnavailableReason = reason;
            return FallBack(modelName, threads, reason, open);
        }

        using (options)
        {
            try
            {
                var session = open(options);
                Announce(modelName, CudaProvider, $"device {_options.CudaDeviceId}", null);
                return new OnnxSession(session, CudaProvider, modelName, _options.CudaDeviceId);
            }
            catch (OnnxRuntimeException ex) when (_options.Preference == ExecutionPreference.Auto)
            {
                // The provider library loaded but the session could not start on it (out of device memory, an
                // operator CUDA lacks, no GPU behind the driver): the CPU may still run the model. Not
                // remembered, since it may be about this model rather than the machine.
                reason = FirstLine(ex.Message);
            }
        }
        return FallBack(modelName, threads, reason, open);
    }

    private OnnxSession FallBack(string modelName, int threads, string reason, Func<SessionOptions, InferenceSession> open)
    {
        // CUDA was there to be tried and failed: unlike a machine without CUDA, this is worth a warning.
        _logger.LogWarning("CUDA is not used for {Model}, falling back to the CPU: {Reason}", modelName, reason);
        return OpenOnCpu(modelName, threads, open, null);
    }

    private OnnxSession OpenOnCpu(string modelName, int threads, Func<SessionOptions, InferenceSession> open, string? why)
    {
        using var options = NewOptions(threads);
        var session = open(options);
        Announce(modelName, CpuProvider, threads == 1 ? "1 intra-op thread" : $"{threads} intra-op threads", why);
        return new OnnxSession(session, CpuProvider, modelName);
    }

    /// <summary>
    /// Says which provider runs: once per factory at Information (with why, when the CPU runs because CUDA cannot),
    /// then per model at Debug, so that a start shows one line rather than one per model.
    /// </summary>
    private void Announce(string modelName, string provider, string detail, string? why)
    {
        if (Interlocked.Exchange(ref _announced, 1) == 0)
        {
            if (why is null)
            {
                _logger.LogInformation("ONNX Runtime runs on {Provider} ({Detail})", provider, detail);
            }
            else
            {
                _logger.LogInformation("ONNX Runtime runs on {Provider} ({Detail}): {Why}", provider, detail, why);
            }
        }
        _logger.LogDebug("ONNX Runtime provider for {Model}: {Provider} ({Detail})", modelName, provider, detail);
    }

    private SessionOptions NewOptions(int threads)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = _options.GraphOptimization,
            EnableCpuMemArena = _options.CpuMemoryArena,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            // ONNX Runtime's own warnings (e.g. nodes left on the CPU) go to stderr; ours go to the logger.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (!_options.AllowSpinning)
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }
        return options;
    }

    private static string FirstLine(string message)
    {
        var line = message.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).ToString();
    }
}
