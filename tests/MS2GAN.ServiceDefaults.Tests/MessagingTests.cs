using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MS2GAN.ServiceDefaults.Tests.Messages;

namespace MS2GAN.ServiceDefaults.Tests;

public sealed class MessagingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_in_memory_bus_delivers_a_published_message_to_a_registered_consumer()
    {
        var inbox = new ProbeInbox();
        await using var app = await TestApp.StartAsync(
            consumers: bus => bus.AddConsumer<ProbeConsumer>(),
            services: services => services.AddSingleton(inbox));
        var sent = new ProbeSent(Guid.NewGuid(), "hello");

        await app.Services.GetRequiredService<IPublishEndpoint>().Publish(sent);
        var received = await inbox.Received.WaitAsync(Patience);

        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task A_failing_message_is_retried_at_the_configured_intervals_before_it_succeeds()
    {
        var inbox = new ProbeInbox(failures: 2);
        await using var app = await TestApp.StartAsync(
            settings =>
            {
                settings["Messaging:RetryLimit"] = "3";
                settings["Messaging:RetryIntervals:0"] = "00:00:00.010";
            },
            bus => bus.AddConsumer<ProbeConsumer>(),
            services => services.AddSingleton(inbox));

        await app.Services.GetRequiredService<IPublishEndpoint>().Publish(new ProbeSent(Guid.NewGuid(), "retry me"));
        await inbox.Received.WaitAsync(Patience);

        Assert.Equal(3, inbox.Attempts);
    }

    [Fact]
    public async Task Consumer_endpoints_are_named_in_kebab_case_with_the_ms2gan_prefix()
    {
        await using var app = TestApp.Build(consumers: bus => bus.AddConsumer<ProbeConsumer>());

        var formatter = app.Services.GetRequiredService<IEndpointNameFormatter>();

        Assert.Equal("ms2gan-probe", formatter.Consumer<ProbeConsumer>());
    }

    [Fact]
    public async Task Startup_refuses_the_RabbitMq_transport_without_a_host()
    {
        // MassTransit creates the bus (reading the options) as soon as the health endpoints are mapped, so
        // the refusal comes while the application is built or started, before anything connects.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = TestApp.Build(settings =>
            {
                settings["Messaging:Transport"] = "RabbitMq";
                settings["Messaging:Username"] = "ms2gan";
                settings["Messaging:Password"] = "secret";
            });
            await app.App.StartAsync();
        });

        Assert.Contains("Messaging:Host is required", error.Message);
    }

    [Fact]
    public async Task Complete_RabbitMq_settings_build_a_RabbitMq_bus_without_connecting_before_start()
    {
        await using var app = TestApp.Build(settings =>
        {
            settings["Messaging:Transport"] = "rabbitmq";
            settings["Messaging:Host"] = "rabbit.invalid";
            settings["Messaging:VirtualHost"] = "ms2gan";
            settings["Messaging:Username"] = "ms2gan";
            settings["Messaging:Password"] = "secret";
        });

        var bus = app.Services.GetRequiredService<IBus>();

        Assert.Equal("rabbitmq", bus.Address.Scheme);
        Assert.Equal("rabbit.invalid", bus.Address.Host);
    }

    [Fact]
    public void RabbitMq_options_without_credentials_name_every_missing_setting()
    {
        var options = new MessagingOptions { Transport = MessagingTransport.RabbitMq, Host = "localhost", PrefetchCount = 0 };

        var result = new MessagingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.Contains("Messaging:Username"));
        Assert.Contains(result.Failures!, failure => failure.Contains("Messaging:Password"));
        Assert.Contains(result.Failures!, failure => failure.Contains("Messaging:PrefetchCount"));
        Assert.DoesNotContain(result.Failures!, failure => failure.Contains("Messaging:Host"));
    }

    [Fact]
    public void Complete_RabbitMq_options_are_valid()
    {
        var options = new MessagingOptions
        {
            Transport = MessagingTransport.RabbitMq, Host = "rabbit", Username = "ms2gan", Password = "secret",
        };

        Assert.True(new MessagingOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Configured_retry_intervals_replace_the_defaults_and_the_last_one_repeats_up_to_the_limit()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:RetryLimit"] = "4",
            ["Messaging:RetryIntervals:0"] = "00:00:00.5",
            ["Messaging:RetryIntervals:1"] = "00:00:02",
        }).Build();
        var options = configuration.GetSection("Messaging").Get<MessagingOptions>()!;

        Assert.Equal(
            [TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)],
            options.EffectiveRetryIntervals());
        Assert.Equal(MessagingOptions.DefaultRetryIntervals, new MessagingOptions().EffectiveRetryIntervals());
        Assert.Empty(new MessagingOptions { RetryLimit = 0 }.EffectiveRetryIntervals());
    }
}
