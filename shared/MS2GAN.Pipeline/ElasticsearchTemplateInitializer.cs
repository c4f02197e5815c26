using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MS2GAN.Storage.Items.Elasticsearch;
using MS2GAN.Storage.Vectors.Elasticsearch;

namespace MS2GAN.Pipeline;

/// <summary>
/// Applies the Elasticsearch index templates (and creates the items index) at start-up, idempotently, without
/// holding up the start: while Elasticsearch is unreachable it retries with back-off (up to a minute apart) and
/// readiness reports the store as down; writes that arrive meanwhile go through the store's own retries.
/// </summary>
internal sealed partial class ElasticsearchTemplateInitializer(IServiceProvider services, ILogger<ElasticsearchTemplateInitializer> logger)
    : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                // Whichever of the two stores this service uses: the vector template, the items template and index.
                if (services.GetService<ElasticsearchVectorStore>() is { } vectors)
                {
                    await vectors.EnsureTemplateAsync(stoppingToken).ConfigureAwait(false);
                }
                if (services.GetService<ElasticsearchItemStore>() is { } items)
                {
                    await items.EnsureIndexAsync(stoppingToken).ConfigureAwait(false);
                }

                LogApplied(logger, attempt);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRetrying(logger, ex, attempt, delay.TotalSeconds);
            }

            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Elasticsearch templates and indexes ready (attempt {Attempt})")]
    private static partial void LogApplied(ILogger logger, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch is not reachable yet (attempt {Attempt}); retrying in {DelaySeconds} s")]
    private static partial void LogRetrying(ILogger logger, Exception exception, int attempt, double delaySeconds);
}
