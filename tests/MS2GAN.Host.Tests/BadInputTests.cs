using MS2GAN.Features.Data;
using MS2GAN.Host.Tests.Support;

namespace MS2GAN.Host.Tests;

/// <summary>Each kind of bad input stops with a message naming the file and the problem, exit code 2, and no output left.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Data => _folder.Combine("data");

    private string Model => _folder.Combine("model");

    public BadInputTests() => FeatureDatasetFiles.Write(Data);

    public void Dispose() => _folder.Dispose();

    private void AssertRefused(CliResult result, string file, string problem)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(file, result.StandardError);
        Assert.Contains(problem, result.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(Model), "a model folder was left behind");
        Assert.DoesNotContain(Directory.GetDirectories(_folder.Path), d => Path.GetFileName(d).StartsWith('.'));
    }

    private CliResult Train() => Ms2GanCli.Run("train", "--data", Data, "--out", Model, "--epochs", "1", "--threads", "1");

    [Fact]
    public void A_truncated_npy_file_is_named()
    {
        var path = Path.Combine(Data, "train_image.npy");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 40)]);
        AssertRefused(Train(), "train_image.npy", "truncated");
    }

    [Fact]
    public void A_file_that_is_not_npy_is_named()
    {
        File.WriteAllText(Path.Combine(Data, "test_text.npy"), "label,text\n1,hello\n");
        AssertRefused(Train(), "test_text.npy", "npy");
    }

    [Fact]
    public void Features_and_labels_of_different_lengths_are_refused()
    {
        NpyWriter.Write(Path.Combine(Data, "train_labels.npy"), Enumerable.Range(0, 89).Select(i => i % 3).ToArray());
        AssertRefused(Train(), "train_labels.npy", "89");
    }

    [Fact]
    public void Not_a_number_in_the_features_is_refused()
    {
        var path = Path.Combine(Data, "train_text.npy");
        var matrix = NpyReader.ReadMatrix(path);
        matrix.Values[7] = float.NaN;
        NpyWriter.Write(path, matrix);
        AssertRefused(Train(), "train_text.npy", "NaN");
    }

    [Fact]
    public void An_empty_class_is_refused()
    {
        // labels 0 and 2 only: class 1 has no training item
        NpyWriter.Write(Path.Combine(Data, "train_labels.npy"), Enumerable.Range(0, 90).Select(i => i % 2 * 2).ToArray());
        AssertRefused(Train(), "train_labels.npy", "class 1");
    }

    [Fact]
    public void A_missing_dataset_folder_is_named()
    {
        var result = Ms2GanCli.Run("train", "--data", _folder.Combine("nowhere"), "--out", Model);
        AssertRefused(result, "nowhere", "not found");
    }

    [Fact]
    public void An_invalid_configuration_is_refused_before_anything_is_read()
    {
        var config = _folder.Combine("config.json");
        File.WriteAllText(config, """{ "epochs": 3, "dropout": 2, "learningrat": 0.1 }""");
        var result = Ms2GanCli.Run("train", "--data", Data, "--out", Model, "--config", config);
        AssertRefused(result, "config.json", "learningrat");
    }
}
