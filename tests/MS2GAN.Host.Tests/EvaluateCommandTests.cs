using System.Text.Json;
using MS2GAN.Host.Tests.Support;

namespace MS2GAN.Host.Tests;

public sealed class EvaluateCommandTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Json_output_is_one_object_with_both_directions_and_the_ablation()
    {
        Assert.True(model.TrainResult.ExitCode == 0, model.TrainResult.ToString());
        var result = Ms2GanCli.Run("evaluate", "--model", model.ModelDirectory, "--data", model.DataDirectory, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput); // throws if anything else is on stdout
        var root = json.RootElement;
        var avg = root.GetProperty("avg").GetDouble();
        Assert.Equal((root.GetProperty("i2t").GetDouble() + root.GetProperty("t2i").GetDouble()) / 2, avg, 1e-12);
        foreach (var part in new[] { "shared", "specific", "joint" })
        {
            Assert.InRange(root.GetProperty("ablation").GetProperty(part).GetProperty("avg").GetDouble(), 0, 1);
        }
        Assert.Equal(avg, root.GetProperty("ablation").GetProperty("joint").GetProperty("avg").GetDouble());
        // the small dataset has a clear class signal: the ONNX encoders must find it (chance is about 0.37 with 3 classes and 30 items)
        Assert.True(avg > 0.6, $"avg mAP {avg}");
        Assert.Contains("CPUExecutionProvider", result.StandardError);
    }

    [Fact]
    public void Weights_can_be_changed_at_evaluation_time()
    {
        var shared = Ms2GanCli.Run("evaluate", "--model", model.ModelDirectory, "--data", model.DataDirectory, "--json", "--specific-weight", "0", "--shared-weight", "1");
        Assert.True(shared.ExitCode == 0, shared.ToString());
        using var json = JsonDocument.Parse(shared.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(root.GetProperty("ablation").GetProperty("shared").GetProperty("avg").GetDouble(), root.GetProperty("avg").GetDouble(), 1e-12);
    }

    [Fact]
    public void Plots_writes_the_precision_recall_curves_and_the_per_class_chart_as_png()
    {
        using var folder = new TempFolder();
        var plots = folder.Combine("plots");

        var result = Ms2GanCli.Run("evaluate", "--model", model.ModelDirectory, "--data", model.DataDirectory, "--plots", plots);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["per_class_ap.png", "precision_recall.png"], Directory.GetFiles(plots).Select(Path.GetFileName).Order());
        foreach (var file in Directory.GetFiles(plots))
        {
            using var image = SkiaSharp.SKBitmap.Decode(file);
            Assert.NotNull(image);
            Assert.Equal((1000, 600), (image.Width, image.Height));
            // Drawn on, not blank: a plot has many colours (lines, bars, text, the background).
            Assert.True(image.Pixels.Distinct().Count() > 20, $"{file} looks blank");
        }
        Assert.Contains($"plots: {Path.Combine(plots, "precision_recall.png")}", result.StandardError);
        Assert.Contains("image->text  text->image  average", result.StandardOutput);
    }

    [Fact]
    public void A_model_folder_missing_a_file_is_named()
    {
        using var folder = new TempFolder();
        var copy = folder.Combine("model");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(model.ModelDirectory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        File.Delete(Path.Combine(copy, "text_encoder.onnx"));
        var result = Ms2GanCli.Run("evaluate", "--model", copy, "--data", model.DataDirectory, "--json");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("text_encoder.onnx", result.StandardError);
        Assert.Contains("missing", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public void Features_of_another_dimension_are_refused_with_the_file_named()
    {
        using var folder = new TempFolder();
        var other = folder.Combine("data");
        FeatureDatasetFiles.Write(other, imageDim: 7);
        var result = Ms2GanCli.Run("evaluate", "--model", model.ModelDirectory, "--data", other, "--json");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("test_image.npy", result.StandardError);
        Assert.Contains("7 dimensions", result.StandardError);
        Assert.Contains("12", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }
}
