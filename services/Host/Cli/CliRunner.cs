using System.Text.Json;
using Microsoft.Extensions.Logging;
using MS2GAN.Features.Data;
using MS2GAN.Model;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace MS2GAN.Host.Cli;

/// <summary>
/// Runs a verb with logging on standard error (standard output is kept for results such as --json) and
/// turns the errors a user can cause into one clear line and a non-zero exit code.
/// </summary>
public static class CliRunner
{
    /// <summary>Exit code for bad input: a file, a folder, a value or a configuration that cannot be used.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for an unexpected failure.</summary>
    public const int Failure = 1;

    /// <summary>Exit code when a service cannot be reached, or did not finish in the time given.</summary>
    public const int Unreachable = 3;

    /// <summary>Runs <paramref name="verb"/> with a logger factory; returns its exit code.</summary>
    public static int Run(string name, bool verbose, Func<ILoggerFactory, int> verb) =>
        // Synchronous throughout: the task is complete when RunAsync returns.
        RunAsync(name, verbose, loggers => Task.FromResult(verb(loggers))).GetAwaiter().GetResult();

    /// <summary>Runs the asynchronous <paramref name="verb"/> with a logger factory; returns its exit code.</summary>
    public static async Task<int> RunAsync(string name, bool verbose, Func<ILoggerFactory, Task<int>> verb)
    {
        using var serilog = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .WriteTo.Console(
                standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        using var factory = new SerilogLoggerFactory(serilog);
        var logger = factory.CreateLogger(name);
        try
        {
            return await verb(factory);
        }
        catch (CommandFailedException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ex.ExitCode;
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            logger.LogDebug(ex, "{Verb} failed", name);
            Console.Error.WriteLine($"error: {ex.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{Verb} failed unexpectedly", name);
            Console.Error.WriteLine($"error: {ex.Message}");
            return Failure;
        }
    }

    private static bool IsBadInput(Exception ex) => ex is DataFormatException or ConfigException or IOException
        or ArgumentException or InvalidDataException or JsonException or UnauthorizedAccessException;
}
