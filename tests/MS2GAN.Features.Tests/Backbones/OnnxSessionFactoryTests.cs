using Microsoft.Extensions.Logging;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Features.Tests.Backbones;

public sealed class OnnxSessionFactoryTests
{
    private static readonly string Model = Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNetPreprocess);

    [Fact]
    public void Cpu_preference_runs_on_the_cpu_and_says_so_in_one_information_line()
    {
        var logger = new ListLogger<OnnxSessionFactory>();
        var factory = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cpu, IntraOpThreads = 1 }, logger);

        using var session = factory.Create(Model);
        using var again = factory.Create(Model);

        Assert.Equal(OnnxSessionFactory.CpuProvider, session.Provider);
        Assert.False(session.IsCuda);
        Assert.Equal(BackboneFiles.ResNetPreprocess, session.ModelName);
        var entry = Assert.Single(logger.Entries, e => e.Level >= LogLevel.Information);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal($"ONNX Runtime runs on {OnnxSessionFactory.CpuProvider} (1 intra-op thread): the Cpu preference was chosen", entry.Message);
        // Each model still says where it runs, one level down.
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Debug
            && e.Message.StartsWith($"ONNX Runtime provider for {BackboneFiles.ResNetPreprocess}: {OnnxSessionFactory.CpuProvider}", StringComparison.Ordinal)));
    }

    [Fact]
    public void Auto_preference_says_which_provider_runs_the_model()
    {
        var logger = new ListLogger<OnnxSessionFactory>();
        var factory = new OnnxSessionFactory(logger: logger);

        using var session = factory.Create(File.ReadAllBytes(Model), "preprocess-in-memory");

        Assert.Contains(session.Provider, new[] { OnnxSessionFactory.CudaProvider, OnnxSessionFactory.CpuProvider });
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information
            && e.Message.StartsWith($"ONNX Runtime runs on {session.Provider}", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Debug
            && e.Message.StartsWith($"ONNX Runtime provider for preprocess-in-memory: {session.Provider}", StringComparison.Ordinal));
    }

    [NoCudaFact]
    public void Auto_preference_without_cuda_runs_on_the_cpu_says_why_once_and_warns_nothing()
    {
        var logger = new ListLogger<OnnxSessionFactory>();
        var factory = new OnnxSessionFactory(logger: logger);

        using var first = factory.Create(Model);
        using var second = factory.Create(Model);

        Assert.Equal(OnnxSessionFactory.CpuProvider, first.Provider);
        Assert.Equal(OnnxSessionFactory.CpuProvider, second.Provider);
        // A machine without CUDA is a normal machine: one plain line, no warning, whatever the number of models.
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
        var entry = Assert.Single(logger.Entries, e => e.Level == LogLevel.Information);
        Assert.StartsWith($"ONNX Runtime runs on {OnnxSessionFactory.CpuProvider} (", entry.Message);
        Assert.Contains("CUDA is not available here: ", entry.Message);
        Assert.Contains(".so", entry.Message);
        Assert.Contains("cannot be loaded", entry.Message);
    }

    [NoCudaFact]
    public void Cuda_preference_fails_with_a_clear_error_naming_the_missing_library()
    {
        var factory = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cuda });

        var error = Assert.Throws<OnnxRuntimeUnavailableException>(() => factory.Create(Model));

        Assert.Contains("CUDA execution provider was required for ResNetPreprocess.onnx", error.Message);
        Assert.Matches(@"lib[a-zA-Z]+\.so\.\d+ cannot be loaded", error.Message);
        Assert.Contains("Auto or Cpu", error.Message);
    }

    [CudaFact]
    public void Cuda_preference_runs_on_cuda_where_it_is_present()
    {
        var factory = new OnnxSessionFactory(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cuda });

        using var session = factory.Create(Model);

        Assert.Equal(OnnxSessionFactory.CudaProvider, session.Provider);
        Assert.True(session.IsCuda);
    }

    [Fact]
    public void A_missing_model_file_is_named_in_the_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => new OnnxSessionFactory().Create(path));

        Assert.Equal(path, error.FileName);
    }

    [Fact]
    public void Negative_thread_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxSessionFactory(new OnnxRuntimeOptions { IntraOpThreads = -1 }));
    }
}
