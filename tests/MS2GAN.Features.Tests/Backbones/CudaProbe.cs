using MS2GAN.Features.Backbones;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Features.Tests.Backbones;

/// <summary>Whether ONNX Runtime can start a session on CUDA here; null when it can, otherwise why not.</summary>
internal static class CudaProbe
{
    private static readonly Lazy<string?> Result = new(Probe);

    public static string? UnavailableReason => Result.Value;

    private static string? Probe()
    {
        try
        {
            var factory = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cuda });
            using var session = factory.Create(Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNetPreprocess));
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
}
