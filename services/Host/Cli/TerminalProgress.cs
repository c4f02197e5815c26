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
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);

    /// <summary>Whether a live progress bar can be drawn.</summary>
    public static bool Interactive => !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;

    /// <summary>
    /// Runs <paramref name="work"/>, which reports (done, description) through the callback it is given.
    /// </summary>
    public static T Run<T>(string title, double total, ILogger logger, Func<Action<double, string>, T> work)
    {
        if (!Interactive)
        {
            var throttle = new LineThrottle();
            return work((done, description) =>
            {
                if (throttle.Due(force: done >= total))
                {
                    logger.LogInformation("{Title} {Done}/{Total}: {Description}", title, done, total, description);
                }
            });
        }
        T result = default!;
        NewProgress(new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn()).Start(context =>
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

    /// <summary>
    /// Runs <paramref name="work"/>, which reports steps through the callback it is given: a step without a total
    /// shows as work of unknown length, one with a total as a bar (the description carries rate and ETA).
    /// </summary>
    public static async Task<T> RunAsync<T>(string title, ILogger logger, Func<Action<ProgressStep>, Task<T>> work)
    {
        if (!Interactive)
        {
            var throttle = new LineThrottle();
            bool? measured = null;
            return await work(step =>
            {
                // A new phase (unknown length -> counted) gets its line at once.
                if (throttle.Due(force: measured != step.Total.HasValue))
                {
                    logger.LogInformation("{Title}: {Description}", title, step.Description);
                }
                measured = step.Total.HasValue;
            });
        }
        T result = default!;
        await NewProgress(
            // The description carries the service's own rate and ETA; a narrower bar leaves it room in 80 columns.
            new ProgressBarColumn { Width = 15 }, new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn()).StartAsync(async context =>
        {
            var task = context.AddTask(Markup.Escape(title));
            task.IsIndeterminate = true;
            result = await work(step =>
            {
                task.IsIndeterminate = step.Total is null;
                if (step.Total is { } total)
                {
                    task.MaxValue = Math.Max(total, 1);
                    task.Value = Math.Min(step.Done ?? 0, task.MaxValue);
                }
                task.Description = Markup.Escape($"{title}: {step.Description}");
            });
            task.StopTask();
        });
        return result;
    }

    private static Progress NewProgress(params ProgressColumn[] columns)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress().AutoClear(false).Columns([new TaskDescriptionColumn { Alignment = Justify.Left }, .. columns]);
    }

    /// <summary>Lets a plain progress line through at most every two seconds, or when forced.</summary>
    private sealed class LineThrottle
    {
        private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
        private TimeSpan? _last;

        public bool Due(bool force)
        {
            if (!force && _last is { } last && _stopwatch.Elapsed - last < LineInterval)
            {
                return false;
            }
            _last = _stopwatch.Elapsed;
            return true;
        }
    }
}
