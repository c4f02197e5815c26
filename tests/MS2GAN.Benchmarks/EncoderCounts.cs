using System.Diagnostics.Metrics;
using MS2GAN.ServiceDefaults;

namespace MS2GAN.Benchmarks;

/// <summary>
/// The encoder's running totals of items indexed and failed, read from its own counters
/// (<c>ms2gan.items.indexed</c>, <c>ms2gan.items.failed</c>) in this process. Unlike the item store's count by
/// state, they count a replaced item each time it is indexed again, so they measure progress when the load
/// replaces items rather than adding them.
/// </summary>
internal sealed class EncoderCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _indexed;
    private long _failed;

    public EncoderCounts()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Ms2GanMetrics.MeterName && instrument.Name is "ms2gan.items.indexed" or "ms2gan.items.failed")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "ms2gan.items.indexed")
            {
                Interlocked.Add(ref _indexed, value);
            }
            else
            {
                Interlocked.Add(ref _failed, value);
            }
        });
        _listener.Start();
    }

    public long Indexed => Interlocked.Read(ref _indexed);

    public long Failed => Interlocked.Read(ref _failed);

    public void Dispose() => _listener.Dispose();
}
