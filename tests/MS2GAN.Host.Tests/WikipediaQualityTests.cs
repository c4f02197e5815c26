using System.Text.Json;
using MS2GAN.Host.Tests.Support;

namespace MS2GAN.Host.Tests;

/// <summary>The default settings on the Wikipedia benchmark (read from ../shared/data/wikipedia when present).</summary>
public sealed class WikipediaQualityTests
{
    [WikipediaDataFact]
    public void Default_training_beats_the_measured_SM_baseline_with_a_margin_for_seeds_and_CPUs()
    {
        using var folder = new TempFolder();
        var model = folder.Combine("model");
        var data = WikipediaDataFactAttribute.RequiredFolder;

        // Early stopping (patience 40, cap 300) and the refit take about 2 minutes here alone; CI runs other test projects beside it.
        var trained = Ms2GanCli.Run(TimeSpan.FromMinutes(20), "train", "--data", data, "--out", model);
        Assert.True(trained.ExitCode == 0, trained.ToString());
        var evaluated = Ms2GanCli.Run("evaluate", "--model", model, "--data", data, "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        using var json = JsonDocument.Parse(evaluated.StandardOutput);
        var avg = json.RootElement.GetProperty("avg").GetDouble();

        // Measured with the defaults on this machine (2026-12-02, one seed, 4 min 13 s beside a test build): 0.2845 (i2t 0.3184,
        // t2i 0.2505). Seeds and CPUs move it about 0.01; the threshold keeps a margin of 0.0245 and still beats SM (0.245).
        // The bar (0.27, above JFSSL's 0.267) is checked by infra/scripts/bench-train.sh, not here.
        Assert.True(avg >= 0.26, $"average test mAP {avg:F4}");
    }
}
