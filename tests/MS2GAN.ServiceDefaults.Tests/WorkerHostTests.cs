using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MS2GAN.ServiceDefaults.Tests.Messages;

namespace MS2GAN.ServiceDefaults.Tests;

public sealed class WorkerHostTests
{
    [Fact]
    public async Task The_defaults_and_the_bus_also_run_on_a_plain_host_without_HTTP()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(TestApp.DefaultSettings());
        builder.Configuration["Serilog:WriteTo:0:Name"] = "Debug";
        var inbox = new ProbeInbox();
        builder.Services.AddSingleton(inbox);
        builder.AddServiceDefaults("worker");
        builder.Services.AddMs2GanConsumers(bus => bus.AddConsumer<ProbeConsumer>());
        builder.Services.AddMs2GanMessaging(builder.Configuration);
        using var host = builder.Build();

        await host.StartAsync();
        await host.Services.GetRequiredService<IPublishEndpoint>().Publish(new ProbeSent(Guid.NewGuid(), "worker"));
        var received = await inbox.Received.WaitAsync(TimeSpan.FromSeconds(15));
        await host.StopAsync();

        Assert.Equal("worker", received.Text);
        Assert.NotNull(host.Services.GetService<Ms2GanMetrics>());
    }
}
