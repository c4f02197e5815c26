using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MS2GAN.ServiceDefaults;

/// <summary>Says loudly at start that keyed endpoints are open because no key is configured.</summary>
internal sealed class ApiKeyStartupWarning(IOptions<ApiKeyOptions> options, ILogger<ApiKeyStartupWarning> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.HasKey)
        {
            logger.LogWarning(
                "No API key is configured and {Setting} is true: ingest and delete are open to anyone. Set {EnvironmentVariable} outside local demos",
                $"{ApiKeyOptions.SectionName}:AllowAnonymous",
                ApiKeyOptions.EnvironmentVariable);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
