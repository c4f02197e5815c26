using Xunit;
using MS2GAN.Features.Onnx;
using MS2GAN.Model.Export;

namespace MS2GAN.TestSupport;

/// <summary>Whether ONNX Runtime can start a session on the CUDA provider here; null when it can, otherwise why not.</summary>
public static class CudaProbe
{
    private static readonly Lazy<string?> Result = new(Probe);

    public static string? UnavailableReason => Result.Value;

    private static string? Probe()
    {
        try
        {
            var factory = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cuda });
            using var session = factory.Create(OnnxExporter.ToBytes(TinyEncoder()), "cuda-probe.onnx");
            return null;
        }
        catch (OnnxRuntimeUnavailableException ex)
        {
            return ex.Message;
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The smallest encoder the exporter writes: 2 inputs, one 2x2 layer in each stack.</summary>
    private static EncoderSpec TinyEncoder()
    {
        DenseLayer Layer() => new([1, 0, 0, 1], [0, 0], 2, 2, Activation.None);
        return new EncoderSpec("image", [0, 0], [1, 1], [Layer()], [Layer()]);
    }
}

/// <summary>A fact that runs only where the ONNX Runtime CUDA provider works, and says why it skipped otherwise.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (CudaProbe.UnavailableReason is { } reason)
        {
            Skip = $"needs the ONNX Runtime CUDA provider: {reason}";
        }
    }
}

/// <summary>A fact about the behaviour without CUDA; skipped where the CUDA provider works.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (CudaProbe.UnavailableReason is null)
        {
            Skip = "the ONNX Runtime CUDA provider works on this machine, so there is no fallback to observe";
        }
    }
}
