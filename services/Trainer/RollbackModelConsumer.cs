using MassTransit;
using MS2GAN.Contracts;

namespace MS2GAN.Trainer;

/// <summary>Runs rollback commands; they take turns with retrains.</summary>
public sealed class RollbackModelConsumer(ModelLifecycle lifecycle) : IConsumer<RollbackModel>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<RollbackModel> context) => lifecycle.RollbackAsync(context.Message, context.CancellationToken);
}

