using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MS2GAN.ServiceDefaults;

/// <summary>
/// Lets a request through only with the right <c>X-Api-Key</c> header; otherwise answers 401 with a
/// ProblemDetails body. Logs the reason and path, never the key.
/// </summary>
internal sealed class ApiKeyEndpointFilter(ApiKeyVerifier verifier, ILogger<ApiKeyEndpointFilter> logger, bool searchOnly)
    : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (verifier.IsAnonymous || (searchOnly && !verifier.RequireForSearch))
        {
            return await next(context);
        }

        var request = context.HttpContext.Request;
        var values = request.Headers[ApiKeyOptions.HeaderName];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return Reject(context.HttpContext, "missing X-Api-Key header");
        }

        // Several values are ambiguous (a proxy may have appended one): refuse rather than pick.
        if (values.Count > 1 || !verifier.Matches(values[0]!))
        {
            return Reject(context.HttpContext, "invalid API key");
        }

        return await next(context);
    }

    private IResult Reject(HttpContext httpContext, string detail)
    {
        logger.LogWarning(
            "Refused {RequestMethod} {RequestPath}: {Reason}",
            httpContext.Request.Method,
            httpContext.Request.Path.Value,
            detail);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: detail);
    }
}
