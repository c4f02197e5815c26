using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Host.Tests.Support;
using MS2GAN.Storage.Items;

namespace MS2GAN.Host.Tests;

/// <summary>A running service (in this process) with the admin API, for the admin verbs that change no model.</summary>
public sealed class AdminServerFixture : IAsyncLifetime
{
    public AdminServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await AdminServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>`ms2gan retrain`, `rollback` and `models` against a real service over HTTP: refusals, exit codes, the status.</summary>
public sealed class AdminVerbTests(AdminServerFixture fixture) : IClassFixture<AdminServerFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    private AdminServer Server => fixture.Server;

    public void Dispose() => _folder.Dispose();

    private Task<CliResult> RunAsync(params string[] args) => Ms2GanCli.RunAsync(null, [.. args, .. Server.Connection]);

    [Theory]
    [InlineData(null, "cannot be read")]
    [InlineData("{ \"epochs\": ", "not valid JSON")]
    [InlineData("[1, 2]", "expected a JSON object")]
    public async Task Retrain_refuses_a_config_file_it_cannot_use_naming_the_file(string? content, string problem)
    {
        var file = _folder.File("overrides.json");
        if (content is not null)
        {
            File.WriteAllText(file, content);
        }

        var result = await RunAsync("retrain", "--config", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"error: {file}: {problem}", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task Retrain_with_zero_epochs_gets_the_services_refusal_and_exits_2()
    {
        var result = await RunAsync("retrain", "--epochs", "0");

        Assert.True(result.ExitCode == 2, result.ToString());
        // The service's validation problem, word for word: the request reached it and was refused there.
        Assert.Contains("the service refused the request: epochs must be between 1 and 10000 (got 0)", result.StandardError);
    }

    [Theory]
    [InlineData("--label", "no-such-label", "unknown label no-such-label: no item carries it")]
    [InlineData("--configuration", "no-such-configuration", "unknown configuration 'no-such-configuration' (known: default, quick, v1)")]
    public async Task Retrain_the_service_refuses_at_the_door_exits_2_with_its_reason(string option, string value, string reason)
    {
        var result = await RunAsync("retrain", option, value);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"the service refused the request: {reason}", result.StandardError);
        // Refused before it was sent to the trainer: no outcome names it.
        Assert.DoesNotContain(Server.Registry.Outcomes, o => o.Reason?.Contains(value) == true);
    }

    [Fact]
    public async Task Retrain_that_the_service_rejects_exits_1_with_the_reason()
    {
        // Labelled items without features pass the check at the door; the trainer rejects the command after it was accepted (202).
        await SeedItemsWithoutFeaturesAsync();

        var result = await RunAsync("retrain", "--label", "unencoded-a", "--label", "unencoded-b", "--timeout", "60");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("rejected: too few labelled items: 0 items labelled unencoded-a, unencoded-b with image and text features", result.StandardOutput);
    }

    [Fact]
    public async Task Retrain_without_waiting_prints_the_request_id_that_the_outcome_then_carries()
    {
        await SeedItemsWithoutFeaturesAsync();

        var result = await RunAsync("retrain", "--no-wait", "--label", "unencoded-a", "--label", "unencoded-b");

        Assert.True(result.ExitCode == 0, result.ToString());
        var id = Guid.Parse(result.StandardOutput.Split(' ')[2]);
        for (var attempt = 0; attempt < 300 && Server.Registry.Outcomes.All(o => o.RequestId != id); attempt++)
        {
            await Task.Delay(100);
        }
        Assert.Equal("rejected", Assert.Single(Server.Registry.Outcomes, o => o.RequestId == id).Result);
    }

    /// <summary>50 items in two classes with a text and no features, written to the store directly (so never encoded); idempotent.</summary>
    private async Task SeedItemsWithoutFeaturesAsync()
    {
        var store = Server.Services.GetRequiredService<IItemStore>();
        await store.UpsertManyAsync([.. Enumerable.Range(0, 50).Select(i => new ItemRecord
        {
            Id = $"unencoded-{i:D2}",
            Labels = [i % 2 == 0 ? "unencoded-a" : "unencoded-b"],
            Text = $"caption {i}",
            ContentHash = $"unencoded-{i}",
        })]);
    }

    [Fact]
    public async Task Rollback_without_a_previous_version_exits_1_saying_so()
    {
        var result = await RunAsync("rollback");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no previous model version to roll back to", result.StandardError);
        Assert.Null(Server.Registry.Previous);
    }

    [Fact]
    public async Task Models_json_prints_the_status_with_the_active_version_using_the_key_from_the_environment()
    {
        var result = await Ms2GanCli.RunAsync(new Dictionary<string, string> { ["MS2GAN_API_KEY"] = AdminServer.ApiKey }, "models", "--json", "--url", Server.Url);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var status = JsonDocument.Parse(result.StandardOutput);
        var active = Server.Registry.Active;
        Assert.NotNull(active);
        Assert.Equal(active, status.RootElement.GetProperty("active").GetString());
        var model = Assert.Single(status.RootElement.GetProperty("models").EnumerateArray());
        Assert.Equal(active, model.GetProperty("version").GetString());
        Assert.Equal("active", model.GetProperty("stage").GetString());
        Assert.Equal(JsonValueKind.Null, status.RootElement.GetProperty("reindex").ValueKind);
    }

    [Fact]
    public async Task Models_prints_the_versions_as_a_table()
    {
        var result = await RunAsync("models");

        Assert.True(result.ExitCode == 0, result.ToString());
        var active = Server.Registry.Active!;
        Assert.Contains($"active:   {active}", result.StandardOutput);
        Assert.Contains("previous: none", result.StandardOutput);
        var row = Assert.Single(result.StandardOutput.Split('\n'), line => line.StartsWith(active, StringComparison.Ordinal));
        Assert.Matches(@"^\S+ +active +- +- +\d{4}-\d\d-\d\d \d\d:\d\dZ$", row.TrimEnd());
    }

    [Fact]
    public async Task A_wrong_api_key_exits_2()
    {
        var result = await Ms2GanCli.RunAsync(null, "models", "--url", Server.Url, "--api-key", "not-the-key-of-this-service");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("the service refused the API key", result.StandardError);
    }

    [Fact]
    public async Task A_service_that_is_not_there_exits_3()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Ms2GanCli.RunAsync(null, "rollback", "--url", $"http://127.0.0.1:{port}", "--api-key", AdminServer.ApiKey);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"cannot reach the ms2gan service at http://127.0.0.1:{port}/", result.StandardError);
    }
}
