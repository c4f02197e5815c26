using MS2GAN.Storage.Vectors;

namespace MS2GAN.Trainer.Tests;

/// <summary>The lifecycle suite on the embedded vector store.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class EmbeddedModelLifecycleTests(TinyModelFixture model, Xunit.Abstractions.ITestOutputHelper output) : ModelLifecycleSuite(model, output)
{
    protected override Func<string, IVectorStore>? VectorStore => null;
}
