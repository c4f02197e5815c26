using System.Diagnostics.Metrics;

namespace MS2GAN.ServiceDefaults;

/// <summary>
/// The pipeline's own instruments, all on one meter named <see cref="MeterName"/> and exported to
/// Prometheus with the <c>ms2gan_</c> prefix. Registered as a singleton by
/// <see cref="ServiceDefaultsExtensions.AddServiceDefaults{TBuilder}"/>. Tag values must come from small
/// fixed sets (an outcome, a modality, a short reason code), never ids or free text.
/// </summary>
public sealed class Ms2GanMetrics
{
    /// <summary>The meter name every MS2GAN instrument belongs to.</summary>
    public const string MeterName = "MS2GAN.Pipeline";

    // Latencies from sub-millisecond searches to multi-second encode batches; search targets p99 <= 25 ms.
    private static readonly double[] MillisecondBuckets =
        [0.5, 1, 2, 5, 10, 15, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000];

    private static readonly int[] BatchSizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1_024, 2_048, 4_096];

    private readonly Counter<long> _itemsIngested;
    private readonly Counter<long> _itemsRejected;
    private readonly Histogram<int> _encodeBatchSize;
    private readonly Histogram<double> _encodeBatchLatency;
    private readonly Histogram<double> _queueLag;
    private readonly Counter<long> _itemsIndexed;
    private readonly Counter<long> _itemsFailed;
    private readonly Histogram<double> _searchLatency;
    private readonly Counter<long> _searchRequests;
    private readonly Counter<long> _reindexItems;
    private long _reindexDone;
    private long _reindexSize;
    private int _reindexSeen;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public Ms2GanMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);

        _itemsIngested = Meter.CreateCounter<long>(
            "ms2gan.items.ingested", "{item}", "Items accepted by ingest, by outcome (created, replaced, unchanged).");
        _itemsRejected = Meter.CreateCounter<long>(
            "ms2gan.items.rejected", "{item}", "Items refused by ingest, by reason.");
        _encodeBatchSize = Meter.CreateHistogram(
            "ms2gan.encode.batch.size", "{item}", "Items per encoder batch.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchSizeBuckets });
        _encodeBatchLatency = Meter.CreateHistogram(
            "ms2gan.encode.batch.latency", "ms", "Time to encode and index one batch.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBuckets });
        _queueLag = Meter.CreateHistogram(
            "ms2gan.queue.lag", "ms", "Time from an item's ingest to the start of its encoding.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBuckets });
        _itemsIndexed = Meter.CreateCounter<long>(
            "ms2gan.items.indexed", "{item}", "Items written to the vector index.");
        _itemsFailed = Meter.CreateCounter<long>(
            "ms2gan.items.failed", "{item}", "Items that failed after ingest (marked failed with a reason).");
        _searchLatency = Meter.CreateHistogram(
            "ms2gan.search.latency", "ms", "Time to answer one search, by target modality.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBuckets });
        _searchRequests = Meter.CreateCounter<long>(
            "ms2gan.search.requests", "{request}", "Search requests, by target modality.");
        _reindexItems = Meter.CreateCounter<long>(
            "ms2gan.reindex.items", "{item}", "Items read and re-encoded by reindexes (a new model version's index, or a rollback's).");
        // Gauges of the reindex this process runs or ran last; a process that never reindexed reports none.
        Meter.CreateObservableGauge("ms2gan.reindex.done", () => ReindexGauge(ref _reindexDone), "{item}",
            "Items the current (or last) reindex has handled.");
        Meter.CreateObservableGauge("ms2gan.reindex.size", () => ReindexGauge(ref _reindexSize), "{item}",
            "Items the current (or last) reindex has to handle; done equals size when it has finished.");
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter { get; }

    /// <summary>Counts items accepted by ingest.</summary>
    /// <param name="outcome">What happened to them, e.g. <c>created</c>, <c>replaced</c>, <c>unchanged</c>.</param>
    /// <param name="count">How many items.</param>
    public void ItemsIngested(string outcome, long count = 1) =>
        _itemsIngested.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Counts items refused by ingest.</summary>
    /// <param name="reason">A short reason code, e.g. <c>invalid_features</c>, <c>image_too_large</c>.</param>
    /// <param name="count">How many items.</param>
    public void ItemsRejected(string reason, long count = 1) =>
        _itemsRejected.Add(count, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Records one encoder batch: its size and how long it took.</summary>
    public void EncodeBatch(int size, TimeSpan elapsed)
    {
        _encodeBatchSize.Record(size);
        _encodeBatchLatency.Record(elapsed.TotalMilliseconds);
    }

    /// <summary>Records the time an item waited between ingest and encoding.</summary>
    public void QueueLag(TimeSpan lag) => _queueLag.Record(Math.Max(0, lag.TotalMilliseconds));

    /// <summary>Records the queue lag of an item ingested at <paramref name="ingestedAt"/>, measured now.</summary>
    public void QueueLagSince(DateTimeOffset ingestedAt, TimeProvider? clock = null) =>
        QueueLag((clock ?? TimeProvider.System).GetUtcNow() - ingestedAt);

    /// <summary>Counts items written to the vector index.</summary>
    public void ItemsIndexed(long count = 1) => _itemsIndexed.Add(count);

    /// <summary>Counts items that failed after ingest.</summary>
    /// <param name="reason">A short reason code, e.g. <c>decode</c>, <c>feature_space</c>.</param>
    /// <param name="count">How many items.</param>
    public void ItemsFailed(string reason, long count = 1) =>
        _itemsFailed.Add(count, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Records the progress of a reindex: <paramref name="items"/> more handled, <paramref name="done"/> of <paramref name="total"/> (the size).</summary>
    public void Reindexed(int items, long done, long total)
    {
        _reindexItems.Add(items);
        Interlocked.Exchange(ref _reindexDone, done);
        Interlocked.Exchange(ref _reindexSize, total);
        Interlocked.Exchange(ref _reindexSeen, 1);
    }

    /// <summary>Records one answered search: one request and its latency, both tagged by target modality.</summary>
    /// <param name="target">The target modality: <c>image</c>, <c>text</c> or <c>any</c>.</param>
    /// <param name="elapsed">Time to answer.</param>
    public void Search(string target, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("target", target);
        _searchRequests.Add(1, tag);
        _searchLatency.Record(elapsed.TotalMilliseconds, tag);
    }

    private IEnumerable<Measurement<long>> ReindexGauge(ref long value) =>
        Volatile.Read(ref _reindexSeen) == 0 ? [] : [new Measurement<long>(Interlocked.Read(ref value))];
}
