namespace MS2GAN.Host.Tests.Support;

/// <summary>One small dataset and one model trained on it through the command line, shared by a test class.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public TrainedModelFixture()
    {
        FeatureDatasetFiles.Write(DataDirectory);
        TrainResult = Ms2GanCli.Run("train", "--data", DataDirectory, "--out", ModelDirectory, "--epochs", "4", "--threads", "1");
    }

    public string DataDirectory => _folder.Combine("data");

    public string ModelDirectory => _folder.Combine("model");

    public CliResult TrainResult { get; }

    public TempFolder Folder => _folder;

    public void Dispose() => _folder.Dispose();
}
