using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MS2GAN.Ingest;
using MS2GAN.Storage.Items;

namespace MS2GAN.Host.Serve;

/// <summary>Sends the demo items through the ingest path and waits until the encoder has handled them all.</summary>
public static class DemoIngestion
{
    /// <summary>How long the demo waits for indexing before serving anyway.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    /// <summary>Ingests every demo item (unchanged ones are skipped by the ingest service) and waits for indexing.</summary>
    public static async Task IngestAndWaitAsync(IServiceProvider services, string demoDirectory, ILogger logger, CancellationToken cancellation)
    {
        var ids = new List<string>();
        using (var scope = services.CreateScope())
        {
            var ingest = scope.ServiceProvider.GetRequiredService<IngestService>();
            foreach (var request in DemoCorpus.Read(demoDirectory))
            {
                var result = await ingest.IngestAsync(request, cancellation);
                if (result.IsAccepted)
                {
                    ids.Add(result.Id!);
                }
                else
                {
                    logger.LogWarning("Demo item {ItemId} was refused: {Errors}", request.Id, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
                }
            }
        }
        logger.LogInformation("Ingested {Count} demo items; waiting for the encoder", ids.Count);
        var items = services.GetRequiredService<IItemStore>();
        var stopwatch = Stopwatch.StartNew();
        var lastLog = TimeSpan.Zero;
        while (true)
        {
            var records = await items.GetManyAsync(ids, cancellation);
            var pending = records.Count(r => r.State == ItemState.Ingested);
            if (pending == 0)
            {
                logger.LogInformation("Demo items indexed: {Indexed}, failed: {Failed}, in {Seconds:F1} s",
                    records.Count(r => r.State == ItemState.Indexed), records.Count(r => r.State == ItemState.Failed), stopwatch.Elapsed.TotalSeconds);
                return;
            }
            if (stopwatch.Elapsed > Patience)
            {
                logger.LogWarning("{Pending} demo items are still waiting for the encoder after {Minutes} minutes; serving anyway", pending, Patience.TotalMinutes);
                return;
            }
            if (stopwatch.Elapsed - lastLog >= TimeSpan.FromSeconds(2))
            {
                lastLog = stopwatch.Elapsed;
                logger.LogInformation("Indexing demo items: {Done}/{Total}", ids.Count - pending, ids.Count);
            }
            await Task.Delay(200, cancellation);
        }
    }
}
