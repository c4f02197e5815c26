using MassTransit;
using MS2GAN.Pipeline;
using MS2GAN.ServiceDefaults;
using Quartz;

namespace MS2GAN.Trainer;

/// <summary>The trainer service's registrations, called by its own Program.cs and by the all-in-one host alike.</summary>
public static class TrainerServiceExtensions
{
    /// <summary>
    /// Adds the stores and the served model (once per process), the lifecycle options, the lifecycle and reindexer (and the
    /// metrics it reports to), the start-up work (the active index and the search alias, a reindex a crash interrupted),
    /// the retrain schedule when configured, and the retrain and rollback consumers. The host adds the bus
    /// (<c>AddMs2GanMessaging</c>) after its services.
    /// </summary>
    public static IHostApplicationBuilder AddTrainerService(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddMs2GanStorage(configuration);
        services.AddMs2GanModel(configuration);
        services.AddOptions<LifecycleOptions>().Bind(configuration.GetSection(LifecycleOptions.Section)).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.Schedule) || IsCron(o.Schedule),
                "Lifecycle:Schedule is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 3 ? * SUN\")")
            .ValidateOnStart();
        services.AddMs2GanMetrics();
        services.AddOpenApiTag("Admin", "The model lifecycle: retrain, roll back, and the registry's status. Needs the API key.");
        services.AddSingleton<Reindexer>();
        services.AddSingleton<ModelLifecycle>();
        services.AddHostedService<TrainerStartup>();
        var schedule = configuration.GetSection(LifecycleOptions.Section).GetValue<string?>(nameof(LifecycleOptions.Schedule));
        if (!string.IsNullOrWhiteSpace(schedule))
        {
            services.AddQuartz(quartz =>
            {
                quartz.ScheduleJob<RetrainScheduleJob>(
                    trigger => trigger.WithIdentity("retrain-schedule", "ms2gan").WithCronSchedule(schedule),
                    job => job.WithIdentity(RetrainScheduleJob.Key));
            });
            services.AddQuartzHostedService(quartz =>
            {
                quartz.WaitForJobsToComplete = false;
                quartz.AwaitApplicationStarted = true;
            });
        }
        services.AddMs2GanConsumers(bus =>
        {
            bus.AddConsumer<RetrainModelConsumer, OneAtATimeConsumerDefinition<RetrainModelConsumer>>();
            bus.AddConsumer<RollbackModelConsumer, OneAtATimeConsumerDefinition<RollbackModelConsumer>>();
        });
        return builder;
    }

    /// <summary>Maps the trainer's HTTP API: the admin endpoints of the model lifecycle.</summary>
    public static WebApplication MapTrainerEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapAdminEndpoints();
        return app;
    }

    private static bool IsCron(string expression)
    {
        try
        {
            _ = new CronExpression(expression);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
