using MS2GAN.Features.Onnx;

namespace MS2GAN.Features.Tests.Onnx;

public sealed class CudaLibrariesTests
{
    [Fact]
    public void Libraries_that_load_are_not_reported_missing()
    {
        Assert.Null(CudaLibraries.FirstMissing(["libc.so.6", "libm.so.6"]));
    }

    [Fact]
    public void The_first_library_that_does_not_load_is_named()
    {
        var reason = CudaLibraries.FirstMissing(["libc.so.6", "libms2gan-absent.so.1", "libms2gan-absent.so.2"]);

        Assert.NotNull(reason);
        Assert.StartsWith("libms2gan-absent.so.1 cannot be loaded", reason);
        Assert.Contains("CUDA 13 and cuDNN 9", reason);
    }

    [Fact]
    public void The_probe_asks_for_the_cuda_driver_first_and_for_every_library_the_provider_links()
    {
        // readelf -d libonnxruntime_providers_cuda.so (ONNX Runtime 1.31.0), less glibc and libstdc++, plus cuDNN.
        Assert.Equal("libcuda.so.1", CudaLibraries.Required[0]);
        Assert.Equal(
            ["libcublas.so.13", "libcublasLt.so.13", "libcuda.so.1", "libcudart.so.13", "libcudnn.so.9", "libcurand.so.10"],
            CudaLibraries.Required.Order(StringComparer.Ordinal));
    }
}
