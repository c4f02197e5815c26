using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Serilog;

namespace MS2GAN.ServiceDefaults;

/// <summary>
/// What every MS2GAN service shares: Serilog structured logs, ProblemDetails for every error, an
/// OpenAPI document, liveness and readiness health checks, OpenTelemetry metrics for Prometheus and
/// API keys. Call <see cref="AddServiceDefaults{TBuilder}"/> on the builder and
/// <see cref="MapServiceDefaults"/> on the built application.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The liveness endpoint: answers 200 while the process runs, whatever its dependencies.</summary>
    public const string LivenessPath = "/health/live";

    /// <summary>The readiness endpoint: runs every check tagged <see cref="HealthCheckTags.Ready"/>.</summary>
    public const string ReadinessPath = "/health/ready";

    /// <summary>The Prometheus scraping endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Registers the service defaults. Serilog reads the <c>Serilog</c> configuration section and writes
    /// to the console unless that section names its own sinks. Error responses are
    /// <c>application/problem+json</c>: unhandled exceptions become a 500 without exception details, and
    /// bodiless 4xx/5xx answers get a ProblemDetails body. API keys are bound from <c>ApiKeys</c> (see
    /// <see cref="ApiKeyOptions"/>) and validated when the host starts.
    /// </summary>
    /// <param name="builder">The application builder (a <c>WebApplicationBuilder</c> for HTTP services).</param>
    /// <param name="serviceName">The service name, used in logs, metrics and the OpenAPI title.</param>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);

        builder.AddSerilogLogging(serviceName);

        var services = builder.Services;
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // A trace id lets an operator find the log lines of a failed request; nothing else leaks.
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
            {
                // Routing refuses a content type no endpoint takes before any endpoint runs: say which one and where to look.
                var request = context.HttpContext.Request;
                var sent = string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"the Content-Type '{request.ContentType}'";
                context.ProblemDetails.Detail =
                    $"{request.Method} {request.Path} does not accept {sent}; /openapi/v1.json lists the content types each endpoint takes.";
            }
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, ServiceDefaultsStartupFilter>());

        services.AddOpenApi(options => options
            .AddDocumentTransformer((document, context, _) =>
            {
                document.Info.Title = serviceName;
                // The server the document was read from, without the trailing slash the framework leaves on it.
                foreach (var server in document.Servers ?? [])
                {
                    server.Url = server.Url?.TrimEnd('/');
                }
                var tags = context.ApplicationServices.GetRequiredService<IOptions<OpenApiTagDescriptions>>().Value;
                foreach (var tag in document.Tags ?? new HashSet<Microsoft.OpenApi.OpenApiTag>())
                {
                    if (tag.Name is { } name && tags.Descriptions.TryGetValue(name, out var description))
                    {
                        tag.Description = description;
                    }
                }
                return Task.CompletedTask;
            })
            .AddApiKeySecurity());

        services.AddHealthChecks();

        services.AddMs2GanMetrics();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Ms2GanMetrics.MeterName)
                .AddPrometheusExporter());

        services.AddApiKeys(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Maps the OpenAPI document (<c>/openapi/v1.json</c>), <see cref="LivenessPath"/>,
    /// <see cref="ReadinessPath"/> and the Prometheus endpoint <see cref="MetricsPath"/>. None of them
    /// asks for an API key: they carry no item data and probes cannot send headers everywhere.
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapOpenApi();
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions
        {
            // Liveness runs no check: a process that answers is alive; a broker outage must not restart it.
            Predicate = _ => false,
            ResponseWriter = WriteHealthReport,
        });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthCheckTags.Ready),
            ResponseWriter = WriteHealthReport,
        });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    private static void AddSerilogLogging(this IHostApplicationBuilder builder, string serviceName)
    {
        var configuration = builder.Configuration;
        var hasSinks = configuration.GetSection("Serilog:WriteTo").Exists();
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                logger
                    .ReadFrom.Configuration(configuration)
                    .ReadFrom.Services(services)
                    .Enrich.FromLogContext()
                    .Enrich.WithProperty("Service", serviceName);
                if (!hasSinks)
                {
                    logger.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                }
            },
            // Several hosts may share a process (tests, the all-in-one host): leave the static logger alone.
            preserveStaticLogger: true);
    }

    private static Task WriteHealthReport(HttpContext context, HealthReport report)
    {
        // Status and check names only: exception messages may carry connection strings.
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            totalMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(entry => new
            {
                name = entry.Key,
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description,
                ms = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
