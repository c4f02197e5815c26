using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Host.Serve;

namespace MS2GAN.TestSupport;

/// <summary>
/// `ms2gan serve` (ServeApplication: all four services, the embedded stores) started in the test process on a
/// free loopback port.
/// </summary>
public static class InProcessServe
{
    /// <summary>Builds and starts the application; returns it with the address it listens on.</summary>
    /// <param name="dataDirectory">Folder for the stores (and the model registry).</param>
    /// <param name="modelDirectory">The model folder to serve.</param>
    /// <param name="transport">inmemory or rabbitmq.</param>
    /// <param name="apiKey">The key writes and the admin API need.</param>
    /// <param name="settings">More configuration, as <c>Section:Key</c> to value; a later entry wins over an earlier one and the defaults.</param>
    /// <param name="configureServices">Changes to the application's services (decorators for fault injection).</param>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(string dataDirectory, string modelDirectory, string transport, string apiKey,
        IEnumerable<KeyValuePair<string, string>>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        var configuration = new Dictionary<string, string>
        {
            ["MS2GAN_API_KEY"] = apiKey,
            // The encoders are tiny; CUDA (when present) would only add its start-up to every test.
            ["Pipeline:OnnxProvider"] = "Cpu",
            // The pipeline's warnings and errors stay visible in the test output; its chatter does not.
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? [])
        {
            configuration[key] = value;
        }
        // Command-line configuration, so that nothing leaks through this process's environment into other tests.
        string[] args = [.. configuration.Select(kv => $"--{kv.Key}={kv.Value}")];
        var serve = new ServeSettings(dataDirectory, modelDirectory, "http://127.0.0.1:0", transport, Demo: false, PerClass: 1);
        var app = ServeApplication.Build(serve, modelDirectory, args, configureServices);
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return (app, new Uri(address));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
