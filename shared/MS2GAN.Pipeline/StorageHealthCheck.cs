using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Pipeline;

/// <summary>
/// Readiness of the stores: the item store answers a count, the vector store lists its indexes and the data
/// folder (media and vectors) exists. Each failure names the store, so /health/ready says which one is down.
/// </summary>
internal sealed class StorageHealthCheck(IItemStore items, IVectorStore vectors, IOptions<PipelineOptions> options) : IHealthCheck
{
    /// <summary>A store that takes longer than this to answer (a server retrying with back-off, say) counts as down.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            var states = await items.CountByStateAsync(timeout.Token).ConfigureAwait(false);
            data["items"] = states.Values.Sum();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The item store does not answer: {Describe(exception)}", exception, data);
        }
        try
        {
            data["vectorIndexes"] = (await vectors.ListIndexesAsync(timeout.Token).ConfigureAwait(false)).Count;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The vector store does not answer: {Describe(exception)}", exception, data);
        }
        // The media store makes its own folder on first write; the data folder it lives in must be there.
        return Directory.Exists(options.Value.DataDirectory)
            ? HealthCheckResult.Healthy("The stores answer.", data)
            : HealthCheckResult.Unhealthy($"The data folder '{options.Value.DataDirectory}' does not exist.", data: data);
    }

    private static string Describe(Exception exception) =>
        exception is OperationCanceledException ? $"no answer within {Patience.TotalSeconds:F0} s" : exception.Message;
}
