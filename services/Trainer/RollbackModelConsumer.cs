using MassTransit;
using MS2GAN.Contracts;

namespace MS2GAN.Trainer;

/// <summary>Runs rollback commands; they take turns with retrains.</summary>
public sealed class RollbackModelConsumer(ModelLifecycle lifecycle) : IConsumer<RollbackModel>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<RollbackModel> context) => lifecycle.RollbackAsync(context.Message, context.CancellationToken);
}

/// <summary>One rollback at a time.</summary>
public sealed class RollbackModelConsumerDefinition : ConsumerDefinition<RollbackModelConsumer>
{
    /// <summary>One message at a time.</summary>
    public RollbackModelConsumerDefinition()
    {
        ConcurrentMessageLimit = 1;
        Endpoint(e => e.PrefetchCount = 1);
    }
}
