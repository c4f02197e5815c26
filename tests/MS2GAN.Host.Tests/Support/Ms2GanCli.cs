using System.Diagnostics;

namespace MS2GAN.Host.Tests.Support;

/// <summary>What one run of the ms2gan executable printed and returned.</summary>
public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>Runs the real ms2gan executable (copied beside the tests) in its own process.</summary>
public static class Ms2GanCli
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static CliResult Run(params string[] args) => RunAsync(null, args).GetAwaiter().GetResult();

    /// <summary>Runs ms2gan without blocking a thread (for tests that serve HTTP in this process); <paramref name="environment"/> adds variables.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ms2gan.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["CI"] = "1"; // plain log lines, no live progress bar
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ms2gan {string.Join(' ', args)} did not finish in {Patience.TotalMinutes} minutes");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
