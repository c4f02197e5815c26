using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace MS2GAN.Host.Cli;

/// <summary>
/// Shows long work as a progress bar when standard error is a terminal, and as plain log lines (at most one
/// every two seconds, plus the last) when it is redirected to a file or a pipe.
/// </summary>
public static class TerminalProgress
{
    /// <summary>Whether a live progress bar can be drawn.</summary>
    public static bool Interactive => !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;

    /// <summary>
    /// Runs <paramref name="work"/>, which reports (done, description) through the callback it is given.
    /// </summary>
    public static T Run<T>(string title, double total, ILogger logger, Func<Action<double, string>, T> work)
    {
        if (!Interactive)
        {
            var stopwatch = Stopwatch.StartNew();
            TimeSpan? last = null;
            return work((done, description) =>
            {
                if (done >= total || last is null || stopwatch.Elapsed - last.Value >= TimeSpan.FromSeconds(2))
                {
                    last = stopwatch.Elapsed;
                    logger.LogInformation("{Title} {Done}/{Total}: {Description}", title, done, total, description);
                }
            });
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: total);
                result = work((done, description) =>
                {
                    task.Value = done;
                    task.Description = Markup.Escape($"{title}: {description}");
                });
                task.Value = total;
            });
        return result;
    }
}
