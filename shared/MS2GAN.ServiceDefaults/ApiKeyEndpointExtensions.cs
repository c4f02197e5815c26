using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MS2GAN.ServiceDefaults;

/// <summary>
/// Puts an endpoint, or every endpoint of a group, behind the <c>X-Api-Key</c> header
/// (see <see cref="ApiKeyOptions"/> for where the key comes from and what happens without one).
/// </summary>
public static class ApiKeyEndpointExtensions
{
    /// <summary>
    /// Requires the API key for this endpoint or group (use on ingest and delete). A missing header
    /// answers 401 "missing X-Api-Key header", a wrong one 401 "invalid API key", both as ProblemDetails.
    /// Works on a <see cref="RouteHandlerBuilder"/> and a <see cref="RouteGroupBuilder"/>.
    /// </summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.AddApiKeyFilter(searchOnly: false);

    /// <summary>
    /// Requires the API key for this search endpoint or group only when
    /// <see cref="ApiKeyOptions.RequireForSearch"/> is set; otherwise the endpoint stays open.
    /// </summary>
    public static TBuilder RequireApiKeyForSearch<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.AddApiKeyFilter(searchOnly: true);

    private static TBuilder AddApiKeyFilter<TBuilder>(this TBuilder builder, bool searchOnly)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(
            new ApiKeyRequirement(searchOnly),
            new ProducesResponseTypeMetadata(
                StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ["application/problem+json"]));
        builder.AddEndpointFilterFactory((factoryContext, next) =>
        {
            var services = factoryContext.ApplicationServices;
            var filter = new ApiKeyEndpointFilter(
                services.GetRequiredService<ApiKeyVerifier>(),
                services.GetRequiredService<ILogger<ApiKeyEndpointFilter>>(),
                searchOnly);
            return invocationContext => filter.InvokeAsync(invocationContext, next);
        });
        return builder;
    }
}
