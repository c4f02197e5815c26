using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.ServiceDefaults.Pipeline;

/// <summary>
/// Readiness of the stores: the item store answers a count, the vector store lists its indexes and the data
/// folder (media and vectors) exists. Each failure names the store, so /health/ready says which one is down.
/// </summary>
internal sealed class StorageHealthCheck(IItemStore items, IVectorStore vectors, IOptions<PipelineOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        try
        {
            var states = await items.CountByStateAsync(cancellationToken).ConfigureAwait(false);
            data["items"] = states.Values.Sum();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The item store does not answer: {exception.Message}", exception, data);
        }
        try
        {
            data["vectorIndexes"] = (await vectors.ListIndexesAsync(cancellationToken).ConfigureAwait(false)).Count;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The vector store does not answer: {exception.Message}", exception, data);
        }
        // The media store makes its own folder on first write; the data folder it lives in must be there.
        return Directory.Exists(options.Value.DataDirectory)
            ? HealthCheckResult.Healthy("The stores answer.", data)
            : HealthCheckResult.Unhealthy($"The data folder '{options.Value.DataDirectory}' does not exist.", data: data);
    }
}
