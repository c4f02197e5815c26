using System.Net;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Core;

using MS2GAN.ServiceDefaults;

namespace MS2GAN.TestSupport;

/// <summary>
/// A minimal service on the test server: the service defaults, the in-memory bus, and endpoints that
/// are keyed (<c>/items</c>, the <c>/admin</c> group), open (<c>/open</c>), search-keyed (<c>/search</c>)
/// and broken (<c>/boom</c>).
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string Key = "correct-horse-battery-staple";

    private TestApp(WebApplication app, CapturedLogs logs)
    {
        App = app;
        Logs = logs;
    }

    public WebApplication App { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The configuration every test starts from: a valid key, the in-memory bus, quiet logs.</summary>
    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["ApiKeys:Key"] = Key,
        // Whatever the machine has in the environment must not decide the tests.
        ["MS2GAN_API_KEY"] = "",
        ["Messaging:Transport"] = "InMemory",
        ["Serilog:MinimumLevel:Default"] = "Information",
        ["Serilog:MinimumLevel:Override:Microsoft"] = "Warning",
        ["Serilog:MinimumLevel:Override:MassTransit"] = "Warning",
    };

    /// <summary>Builds the application; does not start it.</summary>
    public static TestApp Build(
        Action<Dictionary<string, string?>>? configure = null,
        Action<IBusRegistrationConfigurator>? consumers = null,
        Action<IServiceCollection>? services = null)
    {
        var settings = DefaultSettings();
        configure?.Invoke(settings);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);

        var logs = new CapturedLogs();
        builder.Services.AddSingleton<ILogEventSink>(logs);
        // Only the captured sink: console output from dozens of hosts would bury the test report.
        builder.Configuration["Serilog:WriteTo:0:Name"] = "Debug";

        builder.AddServiceDefaults("test-service");
        if (consumers is not null)
        {
            builder.Services.AddMs2GanConsumers(consumers);
        }
        services?.Invoke(builder.Services);
        builder.Services.AddMs2GanMessaging(builder.Configuration);

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapPost("/items", () => TypedResults.Ok("stored")).RequireApiKey();
        app.MapGet("/open", () => TypedResults.Ok("open"));
        app.MapPost("/search", () => TypedResults.Ok("hits")).RequireApiKeyForSearch();
        app.MapGet("/boom", string () => throw new InvalidOperationException("secret internal detail"));
        var admin = app.MapGroup("/admin").RequireApiKey();
        admin.MapDelete("/items/{id}", (string id) => TypedResults.Ok(id));
        return new TestApp(app, logs);
    }

    /// <summary>Builds and starts the application.</summary>
    public static async Task<TestApp> StartAsync(
        Action<Dictionary<string, string?>>? configure = null,
        Action<IBusRegistrationConfigurator>? consumers = null,
        Action<IServiceCollection>? services = null)
    {
        var testApp = Build(configure, consumers, services);
        await testApp.App.StartAsync();
        return testApp;
    }

    public HttpClient CreateClient() => App.GetTestClient();

    /// <summary>Asks <c>/health/ready</c> until it answers <paramref name="wanted"/> (or 15 s have passed); the last answer.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> PollReadinessAsync(HttpClient client, HttpStatusCode wanted)
    {
        // The bus reports healthy once its receive endpoints are up, which may trail the host start slightly.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == wanted || DateTime.UtcNow > deadline)
            {
                return (response.StatusCode, body);
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
