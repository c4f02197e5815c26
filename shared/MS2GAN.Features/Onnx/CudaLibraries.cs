using System.Runtime.InteropServices;

namespace MS2GAN.Features.Onnx;

/// <summary>
/// Whether the native libraries ONNX Runtime's CUDA execution provider needs can be loaded, found out by
/// loading them (dlopen through <see cref="NativeLibrary"/>) before the provider is asked for. Appending the
/// provider without them makes ONNX Runtime print its own red error to stderr (the provider library fails to
/// load) before the exception that says the same; probing first keeps a CPU machine quiet.
/// </summary>
/// <remarks>
/// The names belong to the pinned Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0 (built for CUDA 13 and cuDNN 9):
/// the <c>DT_NEEDED</c> entries of its <c>libonnxruntime_providers_cuda.so</c> that are not part of glibc or
/// libstdc++ (<c>readelf -d</c>), and cuDNN, which the provider opens itself when a session starts. Change
/// them together with that package version.
/// </remarks>
internal static class CudaLibraries
{
    /// <summary>The driver API first: without it there is no usable GPU, whatever else is installed.</summary>
    public static readonly IReadOnlyList<string> Required =
        ["libcuda.so.1", "libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcurand.so.10", "libcudnn.so.9"];

    private static readonly Lazy<string?> Probed = new(() => FirstMissing(Required));

    /// <summary>Null when every library of <see cref="Required"/> loads in this process; otherwise why CUDA cannot work.</summary>
    public static string? UnavailableReason => Probed.Value;

    /// <summary>Null when every library loads; otherwise a sentence naming the first that does not.</summary>
    /// <remarks>Each library that loads is released again: the provider loads its own references when it is used.</remarks>
    public static string? FirstMissing(IEnumerable<string> libraries)
    {
        if (!OperatingSystem.IsLinux())
        {
            // The names above are Linux sonames; elsewhere ONNX Runtime is left to find out for itself.
            return null;
        }
        foreach (var library in libraries)
        {
            if (!NativeLibrary.TryLoad(library, out var handle))
            {
                return $"{library} cannot be loaded (the CUDA execution provider of ONNX Runtime 1.31 needs an NVIDIA driver, CUDA 13 and cuDNN 9 on the library path)";
            }
            NativeLibrary.Free(handle);
        }
        return null;
    }
}
