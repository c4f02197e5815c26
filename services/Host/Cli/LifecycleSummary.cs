using System.Globalization;
using System.Text;
using System.Text.Json;
using MS2GAN.Model.Registry;
using MS2GAN.Trainer;

namespace MS2GAN.Host.Cli;

/// <summary>Readable text of the admin status: a command's outcome, reindex progress, the registry's versions.</summary>
public static class LifecycleSummary
{
    /// <summary>The outcome of a retrain whose candidate became active.</summary>
    public const string Promoted = "promoted";

    /// <summary>The outcome of a rollback that brought the previous version back.</summary>
    public const string RolledBack = "rolled-back";

    /// <summary>One line: what became of the command, with the holdout mAP against the baseline for a promotion.</summary>
    public static string Outcome(LifecycleOutcome outcome, LifecycleStatus status)
    {
        var entry = outcome.Version is { } version ? status.Models.FirstOrDefault(m => m.Version == version) : null;
        return outcome.Result switch
        {
            Promoted => $"promoted: {outcome.Version} is active (holdout mAP {Map(entry?.HoldoutMap)} vs {Map(entry?.BaselineMap)} for the model it replaced)",
            RolledBack => $"rolled back: {outcome.Version} is active again",
            _ => $"{outcome.Result}{(outcome.Version is null ? "" : $" {outcome.Version}")}: {outcome.Reason}",
        };
    }

    /// <summary>A reindex in progress: which version, items done of all, rate and ETA.</summary>
    public static string Reindex(ReindexStatus reindex) =>
        $"{reindex.Kind} to {reindex.Version} (serving {reindex.FromVersion ?? "nothing yet"}): {reindex.Done}/{reindex.Total} items, " +
        $"{reindex.ItemsPerSecond:F1} items/s, ETA {Eta(reindex.RemainingSeconds)}";

    /// <summary>The same, short enough to sit beside a progress bar in an 80-column terminal.</summary>
    public static string ReindexProgress(ReindexStatus reindex) =>
        $"reindex {reindex.Done}/{reindex.Total}, {reindex.ItemsPerSecond:F0}/s, ETA {Eta(reindex.RemainingSeconds)}";

    /// <summary>Active and previous version, the reindex in progress, and a table of every version.</summary>
    public static string Status(LifecycleStatus status)
    {
        var text = new StringBuilder();
        text.AppendLine($"active:   {status.Active ?? "none"}");
        text.AppendLine($"previous: {status.Previous ?? "none"}");
        text.AppendLine($"reindex:  {(status.Reindex is { } reindex ? Reindex(reindex) : "none")}");
        text.AppendLine();
        text.AppendLine($"{"version",-26} {"stage",-10} {"holdout",8} {"baseline",8}  {"registered",-17}  reason");
        foreach (var model in status.Models)
        {
            var stage = JsonNamingPolicy.CamelCase.ConvertName(model.Stage.ToString());
            text.AppendLine($"{model.Version,-26} {stage,-10} {Map(model.HoldoutMap),8} {Map(model.BaselineMap),8}  " +
                            $"{model.RegisteredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),-16}Z  {model.Reason}".TrimEnd());
        }
        return text.ToString();
    }

    private static string Eta(double? seconds)
    {
        if (seconds is not { } known)
        {
            return "?";
        }
        var eta = TimeSpan.FromSeconds(Math.Round(known));
        return eta.TotalHours >= 1
            ? $"{(int)eta.TotalHours}:{eta.ToString(@"mm\:ss", CultureInfo.InvariantCulture)}"
            : eta.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }

    private static string Map(double? map) => map?.ToString("F4", CultureInfo.InvariantCulture) ?? "-";
}
