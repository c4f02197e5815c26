using Microsoft.Extensions.DependencyInjection;

namespace MS2GAN.ServiceDefaults;

/// <summary>Registers the descriptions of a service's OpenAPI tags.</summary>
public static class OpenApiTagServiceCollectionExtensions
{
    /// <summary>Describes the tag <paramref name="name"/> in the OpenAPI document.</summary>
    public static IServiceCollection AddOpenApiTag(this IServiceCollection services, string name, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        services.Configure<OpenApiTagDescriptions>(tags => tags.Descriptions[name] = description);
        return services;
    }
}
