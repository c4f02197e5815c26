using MS2GAN.Model.Evaluation;
using ScottPlot;

namespace MS2GAN.Model.Plots;

/// <summary>Draws an evaluation: the precision-recall curves of both directions, and the AP of each class as bars.</summary>
public static class RetrievalPlots
{
    /// <summary>The file of the precision-recall curves.</summary>
    public const string PrecisionRecallFile = "precision_recall.png";

    /// <summary>The file of the per-class AP chart.</summary>
    public const string PerClassFile = "per_class_ap.png";

    /// <summary>Width of both images, in pixels.</summary>
    public const int Width = 1000;

    /// <summary>Height of both images, in pixels.</summary>
    public const int Height = 600;

    /// <summary>Writes <see cref="PrecisionRecallFile"/> and <see cref="PerClassFile"/> into <paramref name="directory"/> (created when missing).</summary>
    /// <param name="curves">What to draw.</param>
    /// <param name="classNames">Name of each class by label; "class N" for a label it does not name.</param>
    /// <param name="title">What was evaluated, for the titles (model and split).</param>
    /// <param name="directory">The folder to write into.</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Save(RetrievalCurves curves, IReadOnlyList<string>? classNames, string title, string directory)
    {
        Directory.CreateDirectory(directory);
        var precisionRecall = Path.Combine(directory, PrecisionRecallFile);
        SaveCurves(curves, title, precisionRecall);
        var perClass = Path.Combine(directory, PerClassFile);
        SavePerClass(curves, classNames, title, perClass);
        return [precisionRecall, perClass];
    }

    private static void SaveCurves(RetrievalCurves curves, string title, string path)
    {
        var plot = new Plot();
        foreach (var (name, curve) in new[] { ("image -> text", curves.I2T), ("text -> image", curves.T2I) })
        {
            var line = plot.Add.Scatter(curve.Recall.ToArray(), curve.Precision.ToArray());
            line.LegendText = $"{name} ({curve.Queries} queries)";
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        plot.Title($"Precision-recall: {title}");
        plot.XLabel("recall");
        plot.YLabel("precision");
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, Width, Height);
    }

    private static void SavePerClass(RetrievalCurves curves, IReadOnlyList<string>? classNames, string title, string path)
    {
        var plot = new Plot();
        var labels = curves.ClassApI2T.Keys.Union(curves.ClassApT2I.Keys).Order().ToArray();
        foreach (var (name, offset, ap) in new[] { ("image -> text", -0.2, curves.ClassApI2T), ("text -> image", 0.2, curves.ClassApT2I) })
        {
            var present = labels.Where(ap.ContainsKey).ToArray();
            var bars = plot.Add.Bars(present.Select(label => Array.IndexOf(labels, label) + offset).ToArray(), present.Select(label => ap[label]).ToArray());
            bars.LegendText = name;
            foreach (var bar in bars.Bars)
            {
                bar.Size = 0.4;
            }
        }
        plot.Axes.Bottom.SetTicks(
            labels.Select((_, i) => (double)i).ToArray(),
            // One word per line, so that ten class names fit side by side.
            labels.Select(label => (classNames is not null && label >= 0 && label < classNames.Count ? classNames[label] : $"class {label}").Replace(' ', '\n')).ToArray());
        plot.Axes.SetLimits(-0.7, labels.Length - 0.3, 0, 1.02);
        plot.Title($"AP per class: {title}");
        plot.YLabel("AP (mean over the class's queries)");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, Width, Height);
    }
}
