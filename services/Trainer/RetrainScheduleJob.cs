using MassTransit;
using MS2GAN.Contracts;
using Quartz;

namespace MS2GAN.Trainer;

/// <summary>The scheduled retrain (Lifecycle:Schedule): sends the same command ops send, requested by "scheduler".</summary>
[DisallowConcurrentExecution]
public sealed class RetrainScheduleJob(IBus bus, ILogger<RetrainScheduleJob> logger) : IJob
{
    /// <summary>The job's identity in the scheduler.</summary>
    public static readonly JobKey Key = new("retrain", "ms2gan");

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var command = new RetrainModel("scheduler", RequestId: Guid.NewGuid());
        await bus.Publish(command, cancellationToken);
        logger.LogInformation("Scheduled retrain sent (request {RequestId}); next at {Next}", command.RequestId, context.NextFireTimeUtc);
    }
}
