using MassTransit;
using MS2GAN.ServiceDefaults;
using Quartz;

namespace MS2GAN.Trainer;

/// <summary>Wiring of the trainer service (the stores and the model catalog are registered by the host's shared setup).</summary>
public static class TrainerServiceCollectionExtensions
{
    /// <summary>Lifecycle options, the lifecycle and reindexer (and the metrics it reports to), the crash resume at start-up, and the retrain schedule when configured.</summary>
    public static IServiceCollection AddTrainerService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LifecycleOptions>().Bind(configuration.GetSection(LifecycleOptions.Section)).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.Schedule) || IsCron(o.Schedule),
                "Lifecycle:Schedule is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 3 ? * SUN\")")
            .ValidateOnStart();
        services.AddMs2GanMetrics();
        services.AddSingleton<Reindexer>();
        services.AddSingleton<ModelLifecycle>();
        services.AddHostedService<ReindexResumer>();
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
        return services;
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

    /// <summary>The trainer's consumers: retrain and rollback commands.</summary>
    public static IBusRegistrationConfigurator AddTrainerConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RetrainModelConsumer, OneAtATimeConsumerDefinition<RetrainModelConsumer>>();
        bus.AddConsumer<RollbackModelConsumer, OneAtATimeConsumerDefinition<RollbackModelConsumer>>();
        return bus;
    }
}
