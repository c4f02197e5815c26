namespace MS2GAN.Features.Tests.Backbones;

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
