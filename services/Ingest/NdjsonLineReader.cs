using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace MS2GAN.Ingest;

/// <summary>
/// Splits an NDJSON body into lines as it arrives, holding at most one line (plus the pipe's buffer) in
/// memory. A line longer than the limit is skipped up to its newline without being kept, and reported.
/// </summary>
internal static class NdjsonLineReader
{
    public static async IAsyncEnumerable<NdjsonLine> ReadAsync(PipeReader reader, long maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var number = 0;
        var skipping = false;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var lines = new List<NdjsonLine>();
            while (TryTakeLine(ref buffer, out var line))
            {
                number++;
                if (skipping)
                {
                    // The tail of an overlong line: it was reported when it crossed the limit.
                    skipping = false;
                    continue;
                }
                if (line.Length > maxLineBytes)
                {
                    lines.Add(new NdjsonLine(number, null));
                }
                else if (!IsBlank(line))
                {
                    lines.Add(new NdjsonLine(number, line.ToArray()));
                }
            }
            if (!skipping && buffer.Length > maxLineBytes)
            {
                lines.Add(new NdjsonLine(number + 1, null));
                skipping = true;
            }
            if (skipping)
            {
                // Consume the overlong line's bytes without keeping them.
                buffer = buffer.Slice(buffer.End);
            }
            if (result.IsCompleted && !buffer.IsEmpty)
            {
                number++;
                if (!IsBlank(buffer))
                {
                    lines.Add(new NdjsonLine(number, buffer.ToArray()));
                }
                buffer = buffer.Slice(buffer.End);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);

            foreach (var line in lines)
            {
                yield return line;
            }
            if (result.IsCompleted)
            {
                yield break;
            }
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
