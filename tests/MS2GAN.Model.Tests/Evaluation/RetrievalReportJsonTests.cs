using System.Text.Json;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Evaluation;

namespace MS2GAN.Model.Tests.Evaluation;

public sealed class RetrievalReportJsonTests
{
    [Fact]
    public void Directions_are_written_as_i2t_t2i_and_avg()
    {
        var json = JsonSerializer.Serialize(new DirectionalMap(0.25, 0.75), ModelManifest.JsonOptions);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(0.25, document.RootElement.GetProperty("i2t").GetDouble());
        Assert.Equal(0.75, document.RootElement.GetProperty("t2i").GetDouble());
        Assert.Equal(0.5, document.RootElement.GetProperty("avg").GetDouble());
    }

    [Fact]
    public void A_report_reads_back_as_it_was_written()
    {
        var report = new RetrievalReport(new DirectionalMap(0.3, 0.2), new DirectionalMap(0.29, 0.21), new DirectionalMap(0.28, 0.19), new RetrievalWeights(0.4, 0.6), 693);
        var back = JsonSerializer.Deserialize<RetrievalReport>(JsonSerializer.Serialize(report, ModelManifest.JsonOptions), ModelManifest.JsonOptions);
        Assert.Equal(report, back);
    }
}
