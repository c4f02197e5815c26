using System.Diagnostics;
using MS2GAN.Features.Onnx;
using Xunit.Abstractions;

namespace MS2GAN.Features.Tests.Onnx;

public sealed class SessionStartOutputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Starting_sessions_prints_nothing_from_onnx_runtime_and_one_information_line_naming_the_provider()
    {
        var assembly = typeof(SessionStart).Assembly.Location;
        // The test host runs under the dotnet muxer; the child uses the same one.
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(dotnet, [assembly, SessionStart.Verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        using var process = Process.Start(start)!;
        var reading = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await process.WaitForExitAsync(limit.Token);
        }
        var (stdout, stderr) = await reading switch { var both => (both[0], both[1]) };
        output.WriteLine($"stdout:\n{stdout}\nstderr:\n{stderr}");

        Assert.Equal(0, process.ExitCode);
        // ONNX Runtime's own log lines look like "[E:onnxruntime:..." (red on a terminal) or "[W:onnxruntime:...".
        Assert.DoesNotContain("onnxruntime", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", stderr.Trim());
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var information = Assert.Single(lines, l => l.StartsWith("Information:", StringComparison.Ordinal));
        var provider = Assert.Single(lines, l => l.StartsWith("provider: ", StringComparison.Ordinal))["provider: ".Length..];
        Assert.StartsWith($"Information: ONNX Runtime runs on {provider}", information);
        Assert.DoesNotContain(lines, l => l.StartsWith("Warning:", StringComparison.Ordinal) || l.StartsWith("Error:", StringComparison.Ordinal));
        if (provider == OnnxSessionFactory.CpuProvider && CudaLibraries.UnavailableReason is { } missing)
        {
            Assert.EndsWith($"CUDA is not available here: {missing}", information);
        }
    }
}
