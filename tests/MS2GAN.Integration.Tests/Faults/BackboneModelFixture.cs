namespace MS2GAN.Integration.Tests.Faults;

/// <summary>
/// A tiny model in the built-in backbones' space, so that the encoder decodes the stored images and runs ResNet18 and
/// MiniLM on them (raw mode). Trained on first use (a few seconds).
/// </summary>
public sealed class BackboneModelFixture : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Lazy<string> _model;

    public BackboneModelFixture() => _model = new Lazy<string>(() => SyntheticClusters.TrainTinyBackboneModel(_folder.Path, epochs: 2));

    public string ModelDirectory => _model.Value;

    public void Dispose() => _folder.Dispose();
}
