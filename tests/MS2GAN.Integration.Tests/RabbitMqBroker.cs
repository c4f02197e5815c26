using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MS2GAN.Integration.Tests;

/// <summary>
/// The RabbitMQ node the tests talk to, as infra/scripts/test.sh describes it in MS2GAN_TEST_RABBITMQ_*
/// variables; with <c>MS2GAN_TEST_RABBITMQCTL</c> (a rabbitmqctl bound to that node) every test gets a
/// virtual host of its own.
/// </summary>
public sealed class RabbitMqBroker
{
    public const string HostVariable = "MS2GAN_TEST_RABBITMQ_HOST";

    private static readonly TimeSpan ControlTimeout = TimeSpan.FromSeconds(60);

    private RabbitMqBroker(string host, int port, string username, string password, string defaultVirtualHost, string? control)
    {
        Host = host;
        Port = port;
        Username = username;
        Password = password;
        DefaultVirtualHost = defaultVirtualHost;
        Control = control;
    }

    public static bool IsConfigured => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(HostVariable));

    public string Host { get; }

    public int Port { get; }

    public string Username { get; }

    public string Password { get; }

    /// <summary>Where the tests run when they cannot make virtual hosts of their own.</summary>
    public string DefaultVirtualHost { get; }

    /// <summary>A rabbitmqctl bound to the node, or null.</summary>
    public string? Control { get; }

    /// <summary>The broker from the environment; only call from a test carrying <see cref="RabbitMqFactAttribute"/>.</summary>
    public static RabbitMqBroker FromEnvironment()
    {
        static string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set; infra/scripts/test.sh sets it with {HostVariable}");

        var port = Environment.GetEnvironmentVariable("MS2GAN_TEST_RABBITMQ_PORT") is { Length: > 0 } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 5672;
        var control = Environment.GetEnvironmentVariable("MS2GAN_TEST_RABBITMQCTL");
        return new RabbitMqBroker(
            Required(HostVariable),
            port,
            Required("MS2GAN_TEST_RABBITMQ_USER"),
            Required("MS2GAN_TEST_RABBITMQ_PASSWORD"),
            Environment.GetEnvironmentVariable("MS2GAN_TEST_RABBITMQ_VHOST") is { Length: > 0 } vhost ? vhost : "/",
            string.IsNullOrEmpty(control) ? null : control);
    }

    /// <summary>
    /// A fresh virtual host for one test, so that its queues and exchanges meet no other test's (the
    /// services' queue names are fixed); removed, with everything in it, on dispose. Without a rabbitmqctl
    /// the default virtual host is shared instead.
    /// </summary>
    public async Task<TestVirtualHost> CreateVirtualHostAsync(string purpose)
    {
        if (Control is null)
        {
            return new TestVirtualHost(DefaultVirtualHost, null);
        }
        var name = $"ms2gan-{purpose}-{Guid.NewGuid():N}";
        await RunControlAsync("add_vhost", name);
        await RunControlAsync("set_permissions", "-p", name, Username, ".*", ".*", ".*");
        return new TestVirtualHost(name, () => RunControlAsync("delete_vhost", name));
    }

    /// <summary>Ready messages in a queue (unacknowledged ones are not counted), or null when there is no such queue.</summary>
    public async Task<uint?> ReadyMessagesAsync(string virtualHost, string queue)
    {
        var factory = new ConnectionFactory
        {
            HostName = Host,
            Port = Port,
            UserName = Username,
            Password = Password,
            VirtualHost = virtualHost,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            var declared = await channel.QueueDeclarePassiveAsync(queue);
            return declared.MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Stops the node's RabbitMQ application (every connection drops), waits <paramref name="outage"/>, starts it again and
    /// waits until it is up: a broker restart for the fault tests. Needs the rabbitmqctl of the private test node.
    /// </summary>
    public async Task RestartAsync(TimeSpan outage)
    {
        if (Control is null)
        {
            throw new InvalidOperationException("restarting the broker needs MS2GAN_TEST_RABBITMQCTL (infra/scripts/test.sh sets it)");
        }
        await RunControlAsync("stop_app");
        await Task.Delay(outage);
        await RunControlAsync("start_app");
        await RunControlAsync("await_startup");
    }

    private async Task RunControlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Control!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-q");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Control}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ControlTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rabbitmqctl {string.Join(' ', arguments)} did not finish within {ControlTimeout}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"rabbitmqctl {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}{await output}");
        }
    }
}
