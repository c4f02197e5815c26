using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace MS2GAN.TestSupport;

/// <summary>A Serilog sink (picked up from DI by the service defaults) that keeps every event rendered as text.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    // {Message:l} renders string properties without quotes, as a person reads the log.
    private static readonly MessageTemplateTextFormatter Formatter = new("{Level} {Message:l} {Properties} {Exception}");

    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        Formatter.Format(logEvent, writer);
        _lines.Enqueue(writer.ToString());
    }
}
