using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MS2GAN.ServiceDefaults;

/// <summary>MassTransit set up the same way in every service.</summary>
public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Adds MassTransit over the transport named by <see cref="MessagingOptions"/> (section <c>Messaging</c>):
    /// the in-memory transport, or RabbitMQ with durable queues and publisher confirms. Every receive
    /// endpoint retries a failing message <see cref="MessagingOptions.RetryLimit"/> times at
    /// <see cref="MessagingOptions.RetryIntervals"/>, then MassTransit moves it to the endpoint's
    /// <c>_error</c> queue. Endpoints are configured from the registered consumers and named in kebab case
    /// with the prefix <c>ms2gan-</c> (<c>ItemsIngestedConsumer</c> -&gt; <c>ms2gan-items-ingested</c>). The bus
    /// health check is tagged <see cref="HealthCheckTags.Ready"/>, so it joins <c>/health/ready</c>.
    /// Options are validated when the host starts, before the bus connects.
    /// The consumers are those every service added so far asked for with <see cref="AddMs2GanConsumers"/>, so a process
    /// that runs several services (the all-in-one host) has one bus with all of their consumers: call this once, after
    /// the services.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration holding the <c>Messaging</c> section.</param>
    public static IServiceCollection AddMs2GanMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var consumers = ConsumerRegistrations(services);

        var section = configuration.GetSection(MessagingOptions.SectionName);
        services.AddOptions<MessagingOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());

        // The transport decides which services MassTransit registers, so it is read now; everything else
        // is read from the validated options when the bus is created.
        var transport = section.GetValue(nameof(MessagingOptions.Transport), MessagingTransport.InMemory);

        services.AddOptions<MassTransitHostOptions>().Configure<IOptions<MessagingOptions>>((host, messaging) =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = messaging.Value.StartTimeout;
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(MessagingOptions.EndpointPrefix, false));
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "masstransit-bus";
                health.Tags.Add(HealthCheckTags.Ready);
                health.Tags.Add("masstransit");
            });

            foreach (var register in consumers)
            {
                register(bus);
            }

            if (transport == MessagingTransport.RabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    // Validated at start: Host, Username and Password are set for RabbitMQ.
                    var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                    cfg.Host(options.Host!, (ushort)options.Port, options.VirtualHost, host =>
                    {
                        host.Username(options.Username!);
                        host.Password(options.Password!);
                        host.PublisherConfirmation = true;
                    });
                    cfg.Durable = true;
                    ConfigureCommon(cfg, options);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    ConfigureCommon(cfg, context.GetRequiredService<IOptions<MessagingOptions>>().Value);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return services;
    }

    /// <summary>
    /// Asks for consumers on the bus <see cref="AddMs2GanMessaging"/> adds later: each service's registration calls this
    /// with its own consumers (and their definitions).
    /// </summary>
    public static IServiceCollection AddMs2GanConsumers(this IServiceCollection services, Action<IBusRegistrationConfigurator> registerConsumers)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registerConsumers);
        ConsumerRegistrations(services).Add(registerConsumers);
        return services;
    }

    // The consumers asked for so far, kept in the service collection itself (one list per collection).
    private static List<Action<IBusRegistrationConfigurator>> ConsumerRegistrations(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(BusConsumers))?.ImplementationInstance is BusConsumers existing)
        {
            return existing.Registrations;
        }
        var created = new BusConsumers();
        services.AddSingleton(created);
        return created.Registrations;
    }

    private sealed class BusConsumers
    {
        public List<Action<IBusRegistrationConfigurator>> Registrations { get; } = [];
    }

    private static void ConfigureCommon(IBusFactoryConfigurator cfg, MessagingOptions options)
    {
        if (options.PrefetchCount is { } prefetch)
        {
            cfg.PrefetchCount = prefetch;
        }

        if (options.ConcurrentMessageLimit is { } limit)
        {
            cfg.ConcurrentMessageLimit = limit;
        }

        var intervals = options.EffectiveRetryIntervals();
        if (intervals.Length > 0)
        {
            cfg.UseMessageRetry(retry => retry.Intervals(intervals));
        }
    }
}
