using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace MS2GAN.ServiceDefaults.Tests;

public sealed class Ms2GanMetricsTests
{
    [Fact]
    public void Every_instrument_publishes_what_is_recorded_with_its_tags()
    {
        using var provider = new ServiceCollection().AddMs2GanMetrics().BuildServiceProvider();
        var metrics = provider.GetRequiredService<Ms2GanMetrics>();
        var recorded = new ConcurrentBag<(string Name, double Value, string Tags)>();
        using var listener = new MeterListener();
        // Only this provider's meter: other tests record on meters with the same name in parallel.
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => recorded.Add((i.Name, v, Format(tags))));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => recorded.Add((i.Name, v, Format(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => recorded.Add((i.Name, v, Format(tags))));
        listener.Start();

        metrics.ItemsIngested("created", 5);
        metrics.ItemsRejected("invalid_features");
        metrics.EncodeBatch(64, TimeSpan.FromMilliseconds(12.5));
        metrics.QueueLag(TimeSpan.FromMilliseconds(300));
        metrics.ItemsIndexed(64);
        metrics.ItemsFailed("decode", 2);
        metrics.Search("text", TimeSpan.FromMilliseconds(3));

        Assert.Equal(MetricsExpected, recorded.OrderBy(r => r.Name).ToArray());
        Assert.Equal(Ms2GanMetrics.MeterName, metrics.Meter.Name);
    }

    [Fact]
    public void A_negative_queue_lag_from_clock_skew_is_recorded_as_zero()
    {
        using var provider = new ServiceCollection().AddMs2GanMetrics().BuildServiceProvider();
        var metrics = provider.GetRequiredService<Ms2GanMetrics>();
        var lags = new ConcurrentBag<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "ms2gan.queue.lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, v, _, _) => lags.Add(v));
        listener.Start();

        metrics.QueueLagSince(DateTimeOffset.UtcNow.AddSeconds(5));

        Assert.Equal([0.0], lags);
    }

    private static readonly (string, double, string)[] MetricsExpected =
    [
        ("ms2gan.encode.batch.latency", 12.5, ""),
        ("ms2gan.encode.batch.size", 64, ""),
        ("ms2gan.items.failed", 2, "reason=decode"),
        ("ms2gan.items.indexed", 64, ""),
        ("ms2gan.items.ingested", 5, "outcome=created"),
        ("ms2gan.items.rejected", 1, "reason=invalid_features"),
        ("ms2gan.queue.lag", 300, ""),
        ("ms2gan.search.latency", 3, "target=text"),
        ("ms2gan.search.requests", 1, "target=text"),
    ];

    private static string Format(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        return string.Join(",", parts);
    }
}
