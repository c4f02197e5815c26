namespace MS2GAN.ServiceDefaults;

/// <summary>The message transport under MassTransit.</summary>
public enum MessagingTransport
{
    /// <summary>MassTransit's in-memory transport: every service in one process, no server (the embedded default).</summary>
    InMemory,

    /// <summary>RabbitMQ: durable queues, publisher confirms, services in separate processes.</summary>
    RabbitMq,
}
