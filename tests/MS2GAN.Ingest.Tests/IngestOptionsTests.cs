using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MS2GAN.Ingest.Tests;

public sealed class IngestOptionsTests
{
    [Fact]
    public void Defaults_match_the_documented_limits()
    {
        var options = new IngestOptions();

        Assert.Equal(10_000, options.MaxBatchLines);
        Assert.Equal(10_000, options.MaxTextLength);
        Assert.Equal(20L * 1024 * 1024, options.MaxImageBytes);
        Assert.Equal(40_000_000, options.MaxImagePixels);
    }

    [Fact]
    public void The_service_refuses_to_start_with_invalid_limits()
    {
        using var data = new TempFolder();
        using var factory = new WebApplicationFactory<IngestService>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Pipeline:DataDirectory", data.Path);
            builder.UseSetting("ApiKeys:Key", IngestApiFactory.ApiKey);
            builder.UseSetting("Ingest:MaxBatchLines", "0");
            builder.UseSetting("Ingest:MaxTextLength", "-3");
        });

        var exception = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var message = exception.ToString();
        Assert.Contains("Ingest:MaxBatchLines", message);
        Assert.Contains("Ingest:MaxTextLength", message);
    }
}
