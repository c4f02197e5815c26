using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Features.Demo;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Features.Tests.Backbones;

/// <summary>
/// The two backbones, loaded once for every test in the <see cref="BackboneCollection"/> (loading
/// MiniLM reads a 91 MB assembly), plus ResNet18 features of a small demo set shared by the
/// similarity tests.
/// </summary>
public sealed class BackboneFixture : IDisposable
{
    /// <summary>Items per class in <see cref="DemoFeatures"/>.</summary>
    public const int DemoPerClass = 6;

    /// <summary>Seed of <see cref="DemoFeatures"/>.</summary>
    public const int DemoSeed = 11;

    /// <summary>Images per session run of <see cref="SmallBatches"/>.</summary>
    public const int SmallBatchSize = 3;

    private readonly Lazy<(FeatureMatrix Features, int[] Labels)> _demo;

    public BackboneFixture()
    {
        // Auto, as services run: CUDA where it loads, the CPU here.
        Sessions = new OnnxSessionFactory();
        ResNet18 = new ResNet18Backbone(Sessions);
        SmallBatches = new ResNet18Backbone(Sessions, batchSize: SmallBatchSize);
        MiniLm = new MiniLmBackbone(Sessions);
        _demo = new Lazy<(FeatureMatrix, int[])>(EmbedDemo);
    }

    public OnnxSessionFactory Sessions { get; }

    public ResNet18Backbone ResNet18 { get; }

    /// <summary>ResNet18 with batches of <see cref="SmallBatchSize"/>, so that a few images make several batches and a short last one.</summary>
    public ResNet18Backbone SmallBatches { get; }

    public MiniLmBackbone MiniLm { get; }

    /// <summary>ResNet18 features of <see cref="DemoPerClass"/> images of every demo class, with their labels.</summary>
    public (FeatureMatrix Features, int[] Labels) DemoFeatures => _demo.Value;

    public void Dispose()
    {
        ResNet18.Dispose();
        SmallBatches.Dispose();
        MiniLm.Dispose();
    }

    private (FeatureMatrix, int[]) EmbedDemo()
    {
        var samples = Enumerable.Range(0, DemoDataGenerator.ClassNames.Count)
            .SelectMany(c => Enumerable.Range(0, DemoPerClass).Select(i => DemoDataGenerator.CreateSample(c, i, DemoSeed)))
            .ToArray();
        return (ResNet18.EmbedMany(samples.Select(s => s.Png).ToArray()), samples.Select(s => s.ClassIndex).ToArray());
    }
}
