using MS2GAN.Features.Onnx;
using MS2GAN.Model.Export;

namespace MS2GAN.Model.Tests.Onnx;

/// <summary>A fact that runs only where ONNX Runtime can start a session on the CUDA provider, and says why it skipped otherwise.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    public CudaFactAttribute()
    {
        if (Unavailable.Value is { } reason)
        {
            Skip = $"needs the ONNX Runtime CUDA provider: {reason}";
        }
    }

    private static string? Probe()
    {
        try
        {
            var factory = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cuda });
            using var session = factory.Create(OnnxExporter.ToBytes(RandomEncoders.Create(seed: 0, Activation.None)), "probe.onnx");
            return null;
        }
        catch (Exception ex)
        {
            return ex.Message;
        }
    }
}
