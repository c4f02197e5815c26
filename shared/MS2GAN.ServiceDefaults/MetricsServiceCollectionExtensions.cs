using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MS2GAN.ServiceDefaults;

/// <summary>Registers <see cref="Ms2GanMetrics"/>.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="Ms2GanMetrics"/> as a singleton (and the meter factory it needs). Already done by
    /// <see cref="ServiceDefaultsExtensions.AddServiceDefaults{TBuilder}"/>; call it alone in tools and tests.
    /// </summary>
    public static IServiceCollection AddMs2GanMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<Ms2GanMetrics>();
        return services;
    }
}
