using System.Text.Json;
using MS2GAN.Host.Tests.Support;

namespace MS2GAN.Host.Tests;

public sealed class TrainCommandTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Train_writes_a_complete_model_folder()
    {
        Assert.True(model.TrainResult.ExitCode == 0, model.TrainResult.ToString());
        foreach (var file in new[] { "manifest.json", "image_encoder.onnx", "text_encoder.onnx", "generator.ts", "training_curves.png" })
        {
            Assert.True(File.Exists(Path.Combine(model.ModelDirectory, file)), $"{file} is missing");
        }
        var png = File.ReadAllBytes(Path.Combine(model.ModelDirectory, "training_curves.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        // nothing temporary is left beside the model
        Assert.DoesNotContain(Directory.GetDirectories(model.Folder.Path), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void Train_reports_progress_per_epoch_and_a_retrieval_table()
    {
        Assert.Contains("epoch 4/4", model.TrainResult.StandardError);
        Assert.Contains("image->text", model.TrainResult.StandardError);
        Assert.Contains("shared only", model.TrainResult.StandardError);
    }

    [Fact]
    public void Inspect_prints_the_manifest_as_json()
    {
        var result = Ms2GanCli.Run("inspect", "--model", model.ModelDirectory);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var manifest = JsonDocument.Parse(result.StandardOutput);
        var root = manifest.RootElement;
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        Assert.Equal(12, root.GetProperty("featureSpace").GetProperty("imageDim").GetInt32());
        Assert.Equal(5, root.GetProperty("featureSpace").GetProperty("textDim").GetInt32());
        Assert.Equal(12, root.GetProperty("imageNormalization").GetProperty("mean").GetArrayLength());
        Assert.Equal(4, root.GetProperty("config").GetProperty("epochs").GetInt32());
        Assert.Equal(64, root.GetProperty("training").GetProperty("dataFingerprint").GetString()!.Length);
        Assert.True(root.GetProperty("metrics").GetProperty("test").GetProperty("joint").GetProperty("i2t").GetDouble() > 0);
    }

    [Fact]
    public void Train_refuses_to_overwrite_an_existing_model_without_force()
    {
        var before = File.ReadAllText(Path.Combine(model.ModelDirectory, "manifest.json"));
        var result = Ms2GanCli.Run("train", "--data", model.DataDirectory, "--out", model.ModelDirectory, "--epochs", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already exists", result.StandardError);
        Assert.Equal(before, File.ReadAllText(Path.Combine(model.ModelDirectory, "manifest.json")));
    }
}
