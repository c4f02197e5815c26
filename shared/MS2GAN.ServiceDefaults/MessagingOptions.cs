namespace MS2GAN.ServiceDefaults;

/// <summary>
/// The message bus, bound from the configuration section <see cref="SectionName"/> and validated when the
/// host starts. RabbitMQ needs <see cref="Host"/>, <see cref="Username"/> and <see cref="Password"/>.
/// </summary>
public sealed class MessagingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Messaging";

    /// <summary>The endpoint (queue) name prefix: queues are named <c>ms2gan-</c> plus the kebab-case consumer name.</summary>
    public const string EndpointPrefix = "ms2gan-";

    /// <summary>The transport (default <see cref="MessagingTransport.InMemory"/>).</summary>
    public MessagingTransport Transport { get; set; } = MessagingTransport.InMemory;

    /// <summary>The RabbitMQ host name.</summary>
    public string? Host { get; set; }

    /// <summary>The RabbitMQ AMQP port (default 5672).</summary>
    public int Port { get; set; } = 5672;

    /// <summary>The RabbitMQ virtual host (default <c>/</c>).</summary>
    public string VirtualHost { get; set; } = "/";

    /// <summary>The RabbitMQ user.</summary>
    public string? Username { get; set; }

    /// <summary>The RabbitMQ password.</summary>
    public string? Password { get; set; }

    /// <summary>Messages fetched ahead per receive endpoint; null keeps MassTransit's default.</summary>
    public int? PrefetchCount { get; set; }

    /// <summary>Messages consumed at once per receive endpoint; null keeps MassTransit's default.</summary>
    public int? ConcurrentMessageLimit { get; set; }

    /// <summary>Redeliveries in the consumer before a message moves to its <c>_error</c> queue (default 3; 0: none).</summary>
    public int RetryLimit { get; set; } = 3;

    /// <summary>
    /// Waits between retries. The last one repeats when there are fewer than <see cref="RetryLimit"/>;
    /// empty means <see cref="DefaultRetryIntervals"/>. (Empty by default because the configuration binder
    /// appends to, rather than replaces, an array that already has values.)
    /// </summary>
    public TimeSpan[] RetryIntervals { get; set; } = [];

    /// <summary>How long start-up waits for the bus (and a RabbitMQ connection) before failing (default one minute).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The waits used when <see cref="RetryIntervals"/> is empty: 200 ms, 1 s, 5 s.</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetryIntervals { get; } =
        [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    /// <summary>The <see cref="RetryLimit"/> waits the retry policy uses.</summary>
    public TimeSpan[] EffectiveRetryIntervals()
    {
        var source = RetryIntervals.Length > 0 ? RetryIntervals : [.. DefaultRetryIntervals];
        return [.. Enumerable.Range(0, Math.Max(0, RetryLimit)).Select(i => source[Math.Min(i, source.Length - 1)])];
    }
}
