using System.Text;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Evaluation;

namespace MS2GAN.Host.Cli;

/// <summary>Human-readable tables of a model's metrics.</summary>
public static class ModelSummary
{
    /// <summary>The model's version, data and its validation and test retrieval tables.</summary>
    public static string Describe(ModelManifest manifest)
    {
        var text = new StringBuilder();
        text.AppendLine($"model {manifest.Version}: {manifest.Training.Dataset}, best epoch {manifest.Training.BestEpoch}/{manifest.Training.EpochsRun}, " +
                        $"{manifest.Training.Seconds:F1} s on {manifest.Training.Threads} threads");
        text.Append(Table("validation", manifest.Metrics.Validation));
        if (manifest.Metrics.Test is { } test)
        {
            text.Append(Table("test", test));
        }
        return text.ToString();
    }

    /// <summary>One split's retrieval table: joint, shared only, specific only.</summary>
    public static string Table(string split, RetrievalReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"{split} ({report.Items} pairs)     image->text  text->image  average");
        void Row(string name, DirectionalMap map) => text.AppendLine($"  {name,-22} {map.I2T,11:F4}  {map.T2I,11:F4}  {map.Avg,7:F4}");
        Row($"joint ({report.Weights.Specific:0.##}/{report.Weights.Shared:0.##})", report.Joint);
        Row("shared only", report.Shared);
        Row("specific only", report.Specific);
        return text.ToString();
    }
}
