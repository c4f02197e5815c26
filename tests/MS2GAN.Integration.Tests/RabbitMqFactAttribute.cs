namespace MS2GAN.Integration.Tests;

/// <summary>
/// A fact that needs the private RabbitMQ node infra/scripts/test.sh starts (it sets
/// <see cref="RabbitMqBroker.HostVariable"/>); skipped, saying why, where no broker was started.
/// </summary>
public sealed class RabbitMqFactAttribute : FactAttribute
{
    public RabbitMqFactAttribute()
    {
        if (!RabbitMqBroker.IsConfigured)
        {
            Skip = $"RabbitMQ not started: run infra/scripts/test.sh (it starts a private RabbitMQ node and sets {RabbitMqBroker.HostVariable})";
        }
    }
}
