namespace MS2GAN.Trainer;

/// <summary>At start-up, once the application (and its bus) runs, finishes a reindex a crash interrupted.</summary>
public sealed class ReindexResumer(ModelLifecycle lifecycle, IHostApplicationLifetime lifetime, ILogger<ReindexResumer> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        try
        {
            if (await lifecycle.ResumeAsync(stoppingToken) is { } completed)
            {
                logger.LogInformation("Resumed and finished the interrupted reindex to {Version}", completed.ModelVersion);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The interrupted reindex could not be finished; the next retrain or rollback tries again");
        }
    }
}
