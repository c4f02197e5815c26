namespace MS2GAN.Features.Tests.Backbones;

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
