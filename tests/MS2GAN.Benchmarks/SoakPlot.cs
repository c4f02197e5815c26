using ScottPlot;

namespace MS2GAN.Benchmarks;

/// <summary>Draws the soak over time: memory on the left axis, ingest rates on the right, the end of the warm-up marked.</summary>
internal static class SoakPlot
{
    public static void Save(IReadOnlyList<SoakSample> samples, double warmupSeconds, string path, int width = 1200, int height = 650)
    {
        var plot = new Plot();
        var minutes = samples.Select(s => s.Seconds / 60).ToArray();
        void Line(string label, Func<SoakSample, double> value, bool rightAxis)
        {
            var line = plot.Add.Scatter(minutes, samples.Select(value).ToArray());
            line.LegendText = label;
            line.MarkerSize = 0;
            line.LineWidth = rightAxis ? 1 : 3;
            if (rightAxis)
            {
                line.Axes.YAxis = plot.Axes.Right;
            }
        }
        Line("working set (MB)", s => s.WorkingSetMb, rightAxis: false);
        Line("GC heap (MB)", s => s.GcHeapMb, rightAxis: false);
        Line("vector data (MB, estimate)", s => s.VectorDataMb, rightAxis: false);
        Line("accepted (items/s, right axis)", s => s.AcceptedPerSecond, rightAxis: true);
        Line("indexed (items/s, right axis)", s => s.IndexedPerSecond, rightAxis: true);

        var warmup = plot.Add.VerticalLine(warmupSeconds / 60);
        warmup.LegendText = "end of warm-up";
        warmup.LinePattern = LinePattern.Dashed;
        plot.Title("MS2GAN soak: ingest at a fixed rate with searches in parallel");
        plot.XLabel("minutes");
        plot.YLabel("memory (MB)");
        plot.Axes.Right.Label.Text = "items/s";
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, width, height);
    }
}
