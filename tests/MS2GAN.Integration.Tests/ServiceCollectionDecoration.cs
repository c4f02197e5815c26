using Microsoft.Extensions.DependencyInjection;

namespace MS2GAN.Integration.Tests;

/// <summary>Wraps a registered service in a decorator, keeping its lifetime.</summary>
public static class ServiceCollectionDecoration
{
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<TService, TService> decorate)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(decorate);
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService)
            ?? throw new InvalidOperationException($"{typeof(TService).Name} is not registered");
        services.Remove(inner);
        services.Add(ServiceDescriptor.Describe(typeof(TService), sp => decorate(Create<TService>(inner, sp)), inner.Lifetime));
        return services;
    }

    private static TService Create<TService>(ServiceDescriptor descriptor, IServiceProvider services) =>
        (TService)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
