namespace MS2GAN.Trainer.Tests;

/// <summary>The tiny model every lifecycle test starts from (version 1), trained once for the collection.</summary>
public sealed class TinyModelFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public TinyModelFixture() => ModelDirectory = SyntheticClusters.TrainTinyModel(_folder.Path, SyntheticClusters.Split(perClass: 10, seed: 3), epochs: 15);

    /// <summary>The model folder (outside every test's registry, so no test can retire it).</summary>
    public string ModelDirectory { get; }

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class LifecycleCollection : ICollectionFixture<TinyModelFixture>
{
    public const string Name = "lifecycle";
}
