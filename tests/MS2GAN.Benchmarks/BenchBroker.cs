using System.Globalization;

namespace MS2GAN.Benchmarks;

/// <summary>
/// The RabbitMQ node to measure against, from the variables infra/scripts/lib/rabbitmq.sh exports
/// (MS2GAN_TEST_RABBITMQ_HOST, _PORT, _USER, _PASSWORD, _VHOST): the script's private node.
/// </summary>
public sealed record BenchBroker(string Host, int Port, string Username, string Password, string VirtualHost)
{
    public static BenchBroker FromEnvironment()
    {
        static string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new BenchUsageException($"{name} is not set: run through infra/scripts/bench-pipeline.sh or bench-soak.sh, which start a RabbitMQ node and set it");

        return new BenchBroker(
            Required("MS2GAN_TEST_RABBITMQ_HOST"),
            int.Parse(Required("MS2GAN_TEST_RABBITMQ_PORT"), CultureInfo.InvariantCulture),
            Required("MS2GAN_TEST_RABBITMQ_USER"),
            Required("MS2GAN_TEST_RABBITMQ_PASSWORD"),
            Environment.GetEnvironmentVariable("MS2GAN_TEST_RABBITMQ_VHOST") is { Length: > 0 } vhost ? vhost : "/");
    }

    /// <summary>The host's Messaging settings for this node, as <c>Section:Key</c> to value.</summary>
    public IEnumerable<KeyValuePair<string, string>> MessagingSettings() =>
    [
        new("Messaging:Host", Host),
        new("Messaging:Port", Port.ToString(CultureInfo.InvariantCulture)),
        new("Messaging:VirtualHost", VirtualHost),
        new("Messaging:Username", Username),
        new("Messaging:Password", Password),
    ];
}
