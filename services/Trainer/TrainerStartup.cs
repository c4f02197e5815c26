namespace MS2GAN.Trainer;

/// <summary>
/// The trainer's start-up work: the active model's index and the search alias (the trainer is the only one that moves the
/// alias), retried until the vector store answers; then, once the application (and its bus) runs, a reindex a crash
/// interrupted is finished.
/// </summary>
public sealed class TrainerStartup(ModelLifecycle lifecycle, IHostApplicationLifetime lifetime, ILogger<TrainerStartup> logger) : BackgroundService
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ServeActiveIndexAsync(stoppingToken);
            await ApplicationStartedAsync(stoppingToken);
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

    private async Task ServeActiveIndexAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await lifecycle.ServeActiveIndexAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("The active model's index could not be prepared ({Reason}); trying again in {Seconds} s", ex.Message, RetryEvery.TotalSeconds);
                await Task.Delay(RetryEvery, stoppingToken);
            }
        }
    }

    private async Task ApplicationStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            await started.Task;
        }
    }
}
