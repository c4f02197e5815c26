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

    /// <summary>Runs ms2gan with more patience than the usual five minutes (a full training run on a busy machine).</summary>
    public static CliResult Run(TimeSpan patience, params string[] args) => RunAsync(null, null, patience, args).GetAwaiter().GetResult();

    /// <summary>Runs ms2gan without blocking a thread (for tests that serve HTTP in this process); <paramref name="environment"/> adds variables.</summary>
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunAsync(environment, null, args);

    /// <summary>
    /// Runs ms2gan and kills it (the whole process tree, as a crash would end it) as soon as <paramref name="killWhen"/>
    /// completes, unless it has ended by then; the exit code of a killed run is 137.
    /// </summary>
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, Func<CancellationToken, Task>? killWhen, params string[] args) =>
        RunAsync(environment, killWhen, Patience, args);

    private static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, Func<CancellationToken, Task>? killWhen, TimeSpan patience,
        string[] args)
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
        using var timeout = new CancellationTokenSource(patience);
        using var exited = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var exit = process.WaitForExitAsync(timeout.Token);
        try
        {
            var trigger = killWhen?.Invoke(exited.Token);
            if (trigger is not null && await Task.WhenAny(exit, trigger) == trigger)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                await trigger; // its failure, if it failed, is the test's
                return new CliResult(137, await stdout, await stderr);
            }
            await exit;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ms2gan {string.Join(' ', args)} did not finish in {patience.TotalMinutes} minutes");
        }
        finally
        {
            await exited.CancelAsync();
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
