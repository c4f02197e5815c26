using MassTransit;
using MS2GAN.Contracts;

namespace MS2GAN.Trainer;

/// <summary>Runs retrain commands, one at a time; the message is acknowledged when the retrain (and its reindex) has ended.</summary>
public sealed class RetrainModelConsumer(ModelLifecycle lifecycle) : IConsumer<RetrainModel>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<RetrainModel> context) => lifecycle.RetrainAsync(context.Message, context.CancellationToken);
}

