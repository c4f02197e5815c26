using Microsoft.Extensions.Options;

namespace MS2GAN.ServiceDefaults;

/// <summary>Checks <see cref="MessagingOptions"/> before the bus starts, naming each bad setting.</summary>
public sealed class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        const string Section = MessagingOptions.SectionName;
        var failures = new List<string>();

        if (!Enum.IsDefined(options.Transport))
        {
            failures.Add($"{Section}:Transport must be InMemory or RabbitMq.");
        }

        if (options.Transport == MessagingTransport.RabbitMq)
        {
            if (string.IsNullOrWhiteSpace(options.Host))
            {
                failures.Add($"{Section}:Host is required for the RabbitMq transport.");
            }

            if (string.IsNullOrWhiteSpace(options.Username))
            {
                failures.Add($"{Section}:Username is required for the RabbitMq transport.");
            }

            if (string.IsNullOrEmpty(options.Password))
            {
                failures.Add($"{Section}:Password is required for the RabbitMq transport.");
            }

            if (options.Port is < 1 or > 65535)
            {
                failures.Add($"{Section}:Port must be between 1 and 65535 (was {options.Port}).");
            }

            if (string.IsNullOrEmpty(options.VirtualHost))
            {
                failures.Add($"{Section}:VirtualHost must not be empty (use \"/\" for the default).");
            }
        }

        if (options.PrefetchCount is < 1)
        {
            failures.Add($"{Section}:PrefetchCount must be at least 1 when set (was {options.PrefetchCount}).");
        }

        if (options.ConcurrentMessageLimit is < 1)
        {
            failures.Add($"{Section}:ConcurrentMessageLimit must be at least 1 when set (was {options.ConcurrentMessageLimit}).");
        }

        if (options.RetryLimit is < 0 or > 100)
        {
            failures.Add($"{Section}:RetryLimit must be between 0 and 100 (was {options.RetryLimit}).");
        }

        if (options.RetryIntervals.Any(interval => interval < TimeSpan.Zero))
        {
            failures.Add($"{Section}:RetryIntervals must not be negative.");
        }

        if (options.StartTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:StartTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
