using MS2GAN.Host.Tests.Support;
using MS2GAN.Model.Artifacts;

namespace MS2GAN.Host.Tests;

/// <summary>A whole retrain and rollback through the command line against a real service with labelled items.</summary>
public sealed class RetrainThroughCliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Retrain_promotes_a_new_version_and_rollback_brings_the_old_one_back()
    {
        // The quality gate is not what this test is about: a tolerance of 1 lets any candidate through.
        await using var server = await AdminServer.StartAsync(new Dictionary<string, string> { ["Lifecycle:Tolerance"] = "1" });
        await server.IngestAndWaitAsync(perClass: 20, seed: 5);
        var seed = server.Registry.Active!;
        var overrides = _folder.File("overrides.json");
        File.WriteAllText(overrides, """{ "learningRate": 0.002 }""");

        var retrain = await Ms2GanCli.RunAsync(null, ["retrain", "--epochs", "3", "--config", overrides, "--requested-by", "cli-test", .. server.Connection]);

        Assert.True(retrain.ExitCode == 0, retrain.ToString());
        var registry = server.Registry;
        var promoted = registry.Active!;
        Assert.NotEqual(seed, promoted);
        Assert.Equal(seed, registry.Previous?.Version);
        var entry = registry.Find(promoted)!;
        Assert.Equal("cli-test", entry.RequestedBy);
        Assert.Equal($"promoted: {promoted} is active (holdout mAP {entry.HoldoutMap:F4} vs {entry.BaselineMap:F4} for the model it replaced)",
            retrain.StandardOutput.Trim());
        var config = ModelFolder.Read(server.RegistryDirectoryOf(promoted)).Config;
        Assert.Equal((3, 0.002), (config.Epochs, config.LearningRate));
        // Standard error is not a terminal here: plain progress lines instead of a bar.
        Assert.Contains("retrain: training...", retrain.StandardError);

        var models = await Ms2GanCli.RunAsync(null, ["models", .. server.Connection]);
        Assert.True(models.ExitCode == 0, models.ToString());
        Assert.Contains($"previous: {seed}", models.StandardOutput);
        Assert.Matches($@"(?m)^{promoted} +active +\d\.\d{{4}} +\d\.\d{{4}} ", models.StandardOutput);

        var rollback = await Ms2GanCli.RunAsync(null, ["rollback", .. server.Connection]);

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal($"rolled back: {seed} is active again", rollback.StandardOutput.Trim());
        Assert.Equal(seed, server.Registry.Active);
        Assert.Equal(promoted, server.Registry.Previous?.Version);
    }
}
