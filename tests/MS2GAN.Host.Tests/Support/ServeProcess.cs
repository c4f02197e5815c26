using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MS2GAN.Host.Tests.Support;

/// <summary>
/// `ms2gan serve` running in its own process for a test: output collected as it comes, an HTTP client
/// with the API key, and the whole process tree killed on dispose (also when the test fails).
/// </summary>
public sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ServeProcess(Process process, string url, string apiKey)
    {
        _process = process;
        Url = url;
        ApiKey = apiKey;
        Client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
    }

    public string Url { get; }

    public string ApiKey { get; }

    public HttpClient Client { get; }

    public string StandardOutput { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string StandardError { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Starts `ms2gan serve ARGS --urls http://127.0.0.1:FREE_PORT` with a fresh API key.</summary>
    public static ServeProcess Start(params string[] args)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var apiKey = Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ms2gan.dll"));
        start.ArgumentList.Add("serve");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        start.Environment["CI"] = "1";
        start.Environment["MS2GAN_API_KEY"] = apiKey;
        var process = new Process { StartInfo = start };
        var serve = new ServeProcess(process, url, apiKey);
        process.OutputDataReceived += (_, e) => { lock (serve._stdout) { serve._stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (serve._stderr) { serve._stderr.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return serve;
    }

    /// <summary>Waits until standard error contains <paramref name="text"/>; fails with the output when the process ends or time runs out.</summary>
    public async Task WaitForErrorOutputAsync(string text, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!StandardError.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"ms2gan serve exited with {_process.ExitCode} before printing \"{text}\"\n{StandardError}\n{StandardOutput}");
            }
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"ms2gan serve did not print \"{text}\" within {timeout}\n{StandardError}");
            }
            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
