using MassTransit;
using MS2GAN.Contracts;

namespace MS2GAN.Trainer;

/// <summary>Runs retrain commands, one at a time; the message is acknowledged when the retrain (and its reindex) has ended.</summary>
public sealed class RetrainModelConsumer(ModelLifecycle lifecycle) : IConsumer<RetrainModel>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<RetrainModel> context) => lifecycle.RetrainAsync(context.Message, context.CancellationToken);
}

/// <summary>One retrain at a time, no redelivery loop: a failure is reported as ModelRejected, not retried.</summary>
public sealed class RetrainModelConsumerDefinition : ConsumerDefinition<RetrainModelConsumer>
{
    /// <summary>One message at a time.</summary>
    public RetrainModelConsumerDefinition()
    {
        ConcurrentMessageLimit = 1;
        Endpoint(e => e.PrefetchCount = 1);
    }
}
