using Microsoft.ML.OnnxRuntime;

namespace MS2GAN.Features.Onnx;

/// <summary>
/// An <see cref="InferenceSession"/> together with the execution provider it runs on. Disposing this
/// disposes the session; a caller that hands <see cref="Session"/> to another owner must not dispose both.
/// </summary>
public sealed class OnnxSession : IDisposable
{
    internal OnnxSession(InferenceSession session, string provider, string modelName, int deviceId = 0)
    {
        Session = session;
        Provider = provider;
        ModelName = modelName;
        DeviceId = deviceId;
    }

    /// <summary>The session.</summary>
    public InferenceSession Session { get; }

    /// <summary>
    /// The provider that runs the model: <see cref="OnnxSessionFactory.CudaProvider"/> or
    /// <see cref="OnnxSessionFactory.CpuProvider"/>.
    /// </summary>
    public string Provider { get; }

    /// <summary>The model's name as given to the factory (a file name), for logs and errors.</summary>
    public string ModelName { get; }

    /// <summary>The CUDA device ordinal the model runs on; 0 on the CPU.</summary>
    public int DeviceId { get; }

    /// <summary>True when the model runs on the GPU.</summary>
    public bool IsCuda => Provider == OnnxSessionFactory.CudaProvider;

    /// <inheritdoc />
    public void Dispose() => Session.Dispose();
}
