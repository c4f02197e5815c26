using MS2GAN.Model.Training;
using ScottPlot;

namespace MS2GAN.Model.Plots;

/// <summary>Draws the training curves: losses per epoch on the left axis, validation mAP on the right.</summary>
public static class TrainingCurvesPlot
{
    /// <summary>Writes the curves of <paramref name="history"/> to a PNG file.</summary>
    public static void Save(IReadOnlyList<EpochReport> history, int bestEpoch, string path, int width = 1000, int height = 600)
    {
        var plot = new Plot();
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        void Loss(string label, Func<EpochReport, double> value)
        {
            var line = plot.Add.Scatter(epochs, history.Select(value).ToArray());
            line.LegendText = label;
            line.MarkerSize = 0;
        }
        Loss("generator total", h => h.GeneratorLoss);
        Loss("label", h => h.LabelLoss);
        Loss("inter-modal", h => h.InterLoss);
        Loss("intra-modal", h => h.IntraLoss);
        Loss("difference", h => h.DifferenceLoss);
        Loss("adversarial", h => h.AdversarialLoss);
        Loss("discriminator", h => h.DiscriminatorLoss);

        // Epochs without a validation (validateEvery > 1) are left out of the mAP curve.
        var validated = history.Where(h => !double.IsNaN(h.ValidationMap)).ToArray();
        var map = plot.Add.Scatter(validated.Select(h => (double)h.Epoch).ToArray(), validated.Select(h => h.ValidationMap).ToArray());
        map.LegendText = "validation mAP (right axis)";
        map.LineWidth = 3;
        map.MarkerSize = 4;
        map.Axes.YAxis = plot.Axes.Right;
        if (bestEpoch > 0)
        {
            var best = plot.Add.VerticalLine(bestEpoch);
            best.LegendText = $"best epoch {bestEpoch}";
            best.LinePattern = LinePattern.Dashed;
        }
        plot.Title("MS2GAN training");
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.Axes.Right.Label.Text = "validation mAP";
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, width, height);
    }
}
