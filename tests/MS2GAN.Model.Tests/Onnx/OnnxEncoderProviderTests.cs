using MS2GAN.Features.Onnx;
using MS2GAN.Model.Export;
using MS2GAN.Model.Inference;

namespace MS2GAN.Model.Tests.Onnx;

public sealed class OnnxEncoderProviderTests
{
    [Fact]
    public void Opening_an_exported_file_reports_and_logs_the_provider_it_runs_on()
    {
        using var folder = new TempFolder();
        var path = folder.File("text.onnx");
        OnnxExporter.Export(RandomEncoders.Create(seed: 1, Activation.Relu, modality: "text", inputDim: 10), path);
        var logger = new ListLogger<OnnxEncoder>();

        // Auto: CUDA where it loads, otherwise the CPU; either way the encoder must say which.
        using var encoder = OnnxEncoder.Open(path, new OnnxSessionFactory(), logger);

        Assert.Contains(encoder.Provider, new[] { OnnxSessionFactory.CudaProvider, OnnxSessionFactory.CpuProvider });
        var message = Assert.Single(logger.Messages);
        Assert.Contains("text encoder", message);
        Assert.EndsWith($"on {encoder.Provider}", message);
        Assert.Contains(path, message);
    }

    [Fact]
    public void Opening_a_missing_file_names_it()
    {
        using var folder = new TempFolder();
        var path = folder.File("missing.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => OnnxEncoder.Open(path, Encoders.Cpu));

        Assert.Equal(path, error.FileName);
    }

    [CudaFact]
    public void The_cuda_provider_matches_the_reference_within_tf32_precision()
    {
        var spec = RandomEncoders.Create(seed: 2, Activation.LeakyRelu, inputDim: 128, specificDim: 64, sharedDim: 32);
        var features = RandomEncoders.Features(seed: 3, rows: 5000, spec.InputDim);
        var factory = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cuda });
        using var encoder = new OnnxEncoder(factory.Create(OnnxExporter.ToBytes(spec), "image.onnx"));

        var encoded = encoder.Encode(features);
        var (specific, shared) = EncoderReference.Forward(spec, features);

        Assert.Equal(OnnxSessionFactory.CudaProvider, encoder.Provider);
        // Looser than the CPU's 1e-5: the CUDA provider may compute Gemm in TF32 (10-bit mantissa).
        Assert.InRange(Encoders.MaxAbsDiff(specific, encoded.Specific), 0, 1e-2);
        Assert.InRange(Encoders.MaxAbsDiff(shared, encoded.Shared), 0, 1e-2);
    }
}
