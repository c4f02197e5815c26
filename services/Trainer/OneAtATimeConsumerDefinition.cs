using MassTransit;

namespace MS2GAN.Trainer;

/// <summary>
/// The trainer's commands, one message at a time (and one prefetched): a retrain or rollback holds its message until it
/// has ended, and the lifecycle runs them in turn anyway.
/// </summary>
public sealed class OneAtATimeConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    /// <summary>One message at a time.</summary>
    public OneAtATimeConsumerDefinition()
    {
        ConcurrentMessageLimit = 1;
        Endpoint(e => e.PrefetchCount = 1);
    }
}
