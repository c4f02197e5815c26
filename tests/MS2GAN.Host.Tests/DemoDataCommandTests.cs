using System.Text.Json;
using MS2GAN.Host.Tests.Support;

namespace MS2GAN.Host.Tests;

/// <summary>The main job end to end in raw mode: demo images and captions, backbones, MS2GAN, ONNX evaluation.</summary>
public sealed class DemoDataCommandTests
{
    [Fact]
    public void Raw_mode_on_the_demo_data_retrieves_across_modalities()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("demo");
        var model = folder.Combine("model");

        var generated = Ms2GanCli.Run("demo-data", "--out", data, "--per-class", "15", "--seed", "3");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.Equal(150, Directory.GetFiles(Path.Combine(data, "media"), "*.png").Length);

        var trained = Ms2GanCli.Run("train", "--data", data, "--out", model, "--epochs", "40", "--threads", "2");
        Assert.True(trained.ExitCode == 0, trained.ToString());

        var evaluated = Ms2GanCli.Run("evaluate", "--model", model, "--data", data, "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        using var json = JsonDocument.Parse(evaluated.StandardOutput);
        var avg = json.RootElement.GetProperty("avg").GetDouble();
        // The issue asks for >= 0.8 on the demo test split; 60 per class measured 1.000 (README).
        Assert.True(avg >= 0.8, $"raw-mode test mAP {avg:F4} is below 0.8");

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "manifest.json")));
        var space = manifest.RootElement.GetProperty("featureSpace");
        Assert.Equal("resnet18", space.GetProperty("imageFeatures").GetString());
        Assert.Equal(512, space.GetProperty("imageDim").GetInt32());
        Assert.Equal("all-MiniLM-L6-v2", space.GetProperty("textFeatures").GetString());
        Assert.Equal(384, space.GetProperty("textDim").GetInt32());
    }

    [Fact]
    public void An_existing_dataset_is_not_overwritten_without_force()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("demo");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "keep.txt"), "mine");
        var result = Ms2GanCli.Run("demo-data", "--out", data, "--per-class", "2", "--media-only");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(data, result.StandardError);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(data, "keep.txt")));
    }
}
