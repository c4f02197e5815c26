using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace MS2GAN.ServiceDefaults;

/// <summary>Registers API key options, their validation and the OpenAPI security scheme.</summary>
internal static class ApiKeyServiceCollectionExtensions
{
    private const string SchemeName = "ApiKey";

    public static IServiceCollection AddApiKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>()
            .Bind(configuration.GetSection(ApiKeyOptions.SectionName))
            .PostConfigure(options =>
            {
                var fromEnvironment = configuration[ApiKeyOptions.EnvironmentVariable];
                if (!string.IsNullOrEmpty(fromEnvironment))
                {
                    options.Key = fromEnvironment;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>());
        services.TryAddSingleton<ApiKeyVerifier>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ApiKeyStartupWarning>());
        return services;
    }

    /// <summary>
    /// Declares the <c>X-Api-Key</c> scheme and puts it on every operation that asks for the key; every other operation says
    /// it needs none (an empty requirement), so a client generated from the document knows either way.
    /// </summary>
    public static OpenApiOptions AddApiKeySecurity(this OpenApiOptions options) =>
        options.AddOperationTransformer((operation, context, _) =>
        {
            var requirement = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiKeyRequirement>().LastOrDefault();
            var document = context.Document;
            var keys = context.ApplicationServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value;
            if (requirement is null || document is null || (requirement.SearchOnly && !keys.RequireForSearch))
            {
                operation.Security = [new OpenApiSecurityRequirement()];
                return Task.CompletedTask;
            }

            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes.TryAdd(SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyOptions.HeaderName,
                Description = "The service's API key.",
            });
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(SchemeName, document)] = [],
            });
            return Task.CompletedTask;
        });
}
