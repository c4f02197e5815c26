using System.Diagnostics;
using System.Security.Cryptography;

namespace MS2GAN.Host.Cli.Import;

/// <summary>
/// Sends the entries of an import to <c>POST /v1/items/batch</c> in batches (at most <paramref name="batchSize"/> items and
/// about <paramref name="maxBatchBytes"/> bytes), skipping what the checkpoint lists and adding what the service accepts
/// to it after every batch; then follows the accepted items on <c>GET /v1/items/{id}</c> until the encoder has handled them.
/// </summary>
public sealed class BulkImporter(ServiceClient client, ImportCheckpoint checkpoint, int batchSize, long maxBatchBytes)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Sends every entry not accepted before; refused entries and lines are counted in <paramref name="summary"/>.</summary>
    public async Task SendAsync(IReadOnlyList<ImportEntry> entries, ImportSummary summary, Action<ProgressStep> report, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var batch = new List<(ImportEntry Entry, string Hash)>();
        using var body = new MemoryStream();
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Refusal(entry, seen) is { } problem)
            {
                summary.Reject(entry.Where, problem);
                continue;
            }
            byte[] line;
            try
            {
                line = entry.ToNdjsonLine();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                summary.Reject(entry.Where, $"image {entry.ImagePath}: cannot be read ({ex.Message})");
                continue;
            }
            var hash = Convert.ToHexStringLower(SHA256.HashData(line));
            if (checkpoint.Contains(entry.Id!, hash))
            {
                summary.Accept(entry.Id!, ImportSummary.SentBefore);
                continue;
            }
            if (batch.Count > 0 && (batch.Count >= batchSize || body.Length + line.Length > maxBatchBytes))
            {
                await PostAsync(batch, body, summary, cancellationToken);
                report(Progress(summary, entries.Count, stopwatch.Elapsed));
            }
            body.Write(line);
            body.WriteByte((byte)'\n');
            batch.Add((entry, hash));
        }
        if (batch.Count > 0)
        {
            await PostAsync(batch, body, summary, cancellationToken);
        }
        report(Progress(summary, entries.Count, stopwatch.Elapsed));
        summary.SendTime = stopwatch.Elapsed;
    }

    /// <summary>
    /// Polls the accepted items in order until none is waiting for the encoder (an item still waiting stops the round: those
    /// after it were most likely ingested later); counts them indexed or failed.
    /// </summary>
    /// <exception cref="CommandFailedException">Items still wait after <paramref name="timeout"/> (exit code 3).</exception>
    public async Task WaitAsync(ImportSummary summary, TimeSpan timeout, Action<ProgressStep> report, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        summary.Waited = true;
        var ids = summary.AcceptedIds;
        var next = 0;
        while (next < ids.Count)
        {
            var item = await client.GetItemAsync(ids[next], cancellationToken);
            switch (item?.State)
            {
                case null:
                    summary.Fail(ids[next++], "no longer there (deleted meanwhile?)");
                    continue;
                case "indexed":
                    summary.IndexedOne();
                    next++;
                    continue;
                case "failed":
                    summary.Fail(ids[next++], item.FailureReason ?? "failed");
                    continue;
            }
            report(new ProgressStep($"indexed {summary.Indexed}/{ids.Count}, waiting for the encoder", summary.Indexed, ids.Count));
            if (stopwatch.Elapsed > timeout)
            {
                summary.WaitTime = stopwatch.Elapsed;
                throw new CommandFailedException(CliRunner.Unreachable,
                    $"{ids.Count - next} items still wait for the encoder after {timeout.TotalSeconds:F0} s; the service goes on with them "
                    + "(run the same `ms2gan ingest` again: it sends nothing new and waits)");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        report(new ProgressStep($"indexed {summary.Indexed}/{ids.Count}", summary.Indexed, ids.Count));
        summary.WaitTime = stopwatch.Elapsed;
    }

    private static string? Refusal(ImportEntry entry, Dictionary<string, string> seen)
    {
        if (entry.Problem is { } problem)
        {
            return problem;
        }
        if (!seen.TryAdd(entry.Id!, entry.Where))
        {
            return $"id {entry.Id} is already used by {seen[entry.Id!]}";
        }
        return null;
    }

    private static ProgressStep Progress(ImportSummary summary, int total, TimeSpan elapsed) =>
        new($"sent {summary.Sent} ({summary.Sent / Math.Max(elapsed.TotalSeconds, 1e-3):F0} items/s), {summary.Rejected.Count} rejected", summary.Handled, total);

    private async Task PostAsync(List<(ImportEntry Entry, string Hash)> batch, MemoryStream body, ImportSummary summary, CancellationToken cancellationToken)
    {
        var result = await client.PostBatchAsync(body.GetBuffer().AsMemory(0, (int)body.Length), cancellationToken);
        if (result.StoppedAtLine is { } stopped)
        {
            throw new CommandFailedException(CliRunner.Failure, $"the service read only {stopped - 1} of the batch's {batch.Count} lines; give a smaller --batch-size");
        }
        var outcomes = result.Accepted.ToDictionary(a => a.Line);
        var reasons = result.Rejected.ToDictionary(r => r.Line, r => r.Reason);
        var accepted = new List<(string Id, string Hash)>();
        for (var line = 1; line <= batch.Count; line++)
        {
            var (entry, hash) = batch[line - 1];
            if (outcomes.TryGetValue(line, out var ok))
            {
                summary.Accept(ok.Id, ok.Outcome);
                accepted.Add((ok.Id, hash));
            }
            else
            {
                summary.Reject(entry.Where, reasons.GetValueOrDefault(line) ?? "the service did not answer for this item");
            }
        }
        checkpoint.Append(accepted);
        batch.Clear();
        body.SetLength(0);
    }
}
