using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MS2GAN.Contracts;
using MS2GAN.Pipeline;

namespace MS2GAN.Trainer.Tests;

/// <summary>The schedule (a Quartz cron trigger) sends the same retrain command ops send.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class RetrainScheduleTests(TinyModelFixture model)
{
    [Fact]
    public async Task The_cron_schedule_sends_retrain_commands_requested_by_the_scheduler()
    {
        using var folder = new TempFolder();
        var builder = Builder(folder, "0/1 * * * * ?");
        builder.AddTrainerService();
        // The first firing comes within a second on a quiet machine; on a loaded one the start and the scheduler's thread
        // can lag for seconds, and the harness (whose idle limit is fixed when it starts) would stop waiting too soon.
        builder.Services.AddMassTransitTestHarness(x => x.SetTestTimeouts(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var harness = host.Services.GetRequiredService<ITestHarness>();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Assert.True(await harness.Published.Any<RetrainModel>(
                m => m.Context.Message.RequestedBy == "scheduler" && m.Context.Message.RequestId != null, deadline.Token));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void An_invalid_cron_expression_stops_the_start_with_the_setting_named()
    {
        using var folder = new TempFolder();
        var builder = Builder(folder, "every sunday");
        builder.AddTrainerService();
        using var host = builder.Build();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LifecycleOptions>>().Value);

        Assert.Contains("Lifecycle:Schedule is not a valid Quartz cron expression", error.Message);
    }

    private HostApplicationBuilder Builder(TempFolder folder, string schedule)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipeline:DataDirectory"] = folder.Path,
            ["Pipeline:ModelDirectory"] = model.ModelDirectory,
            ["Pipeline:OnnxProvider"] = "Cpu",
            ["Lifecycle:Schedule"] = schedule,
        });
        return builder;
    }
}
