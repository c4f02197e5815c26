using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MS2GAN.Integration.Tests.Faults;

/// <summary>
/// One of the pipeline's services (services/{Name}, built by the solution build) run as its own process on a loopback
/// port, configured through its environment, so that a fault test can kill it with SIGKILL and start it again.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private Process? _process;

    public ServiceProcess(string name, IReadOnlyDictionary<string, string> environment)
    {
        _dll = Path.Combine(RepositoryRoot.Path, "services", name, "bin", "Release", "net10.0", "linux-x64", $"MS2GAN.{name}.dll");
        if (!File.Exists(_dll))
        {
            throw new FileNotFoundException($"{_dll} is missing: build the solution in Release first (infra/scripts/test.sh does)", _dll);
        }
        Port = FreePort();
        _environment = environment;
    }

    /// <summary>The loopback port it listens on (the same across restarts).</summary>
    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts the process and waits until /health/live answers.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(_dll);
        start.Environment["ASPNETCORE_URLS"] = Address.ToString();
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_dll}");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Path.GetFileName(_dll)} exited with {_process.ExitCode} while starting");
            }
            try
            {
                // Liveness: the bus is started before the server listens (MassTransit waits until started).
                using var live = await Http.GetAsync(new Uri(Address, "/health/live"));
                if (live.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Path.GetFileName(_dll)} was not ready within {timeout.TotalSeconds:F0} s");
    }

    /// <summary>SIGKILL: no shutdown, no flush, whatever was in flight is cut off.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>A graceful stop (SIGTERM), waiting for the process to finish what is in flight.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term!.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(patience.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
