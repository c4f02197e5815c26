using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;

namespace MS2GAN.ServiceDefaults;

/// <summary>
/// Puts request logging, the exception handler and status code pages in front of the whole pipeline,
/// so every service answers errors as ProblemDetails without remembering to add the middleware.
/// </summary>
internal sealed class ServiceDefaultsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // Method, path (no query string), status and time only: never headers (API keys) nor bodies.
        app.UseSerilogRequestLogging(options =>
        {
            // Without this the middleware writes to the static Log.Logger, which the defaults leave alone.
            options.Logger = app.ApplicationServices.GetService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : IsProbe(context.Request.Path) ? LogEventLevel.Verbose
                : LogEventLevel.Information;
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        next(app);
    };

    private static bool IsProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(ServiceDefaultsExtensions.MetricsPath);
}
