using System.Globalization;
using System.Text;

namespace MS2GAN.Host.Cli.Import;

/// <summary>What an import did, counted as it goes, and the summary it ends with.</summary>
public sealed class ImportSummary(ImportSource source, string service)
{
    private readonly List<string> _accepted = [];
    private readonly Dictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private readonly List<(string Where, string Reason)> _rejected = [];
    private readonly List<(string Id, string Reason)> _failed = [];

    /// <summary>Ids accepted, in this run or an earlier one, in source order.</summary>
    public IReadOnlyList<string> AcceptedIds => _accepted;

    /// <summary>Entries refused, by the command or by the service, with where they come from and why.</summary>
    public IReadOnlyList<(string Where, string Reason)> Rejected => _rejected;

    /// <summary>Items the encoder marked failed, or that are gone, with the reason.</summary>
    public IReadOnlyList<(string Id, string Reason)> Failed => _failed;

    /// <summary>Entries handled so far (accepted, skipped or rejected).</summary>
    public int Handled { get; private set; }

    /// <summary>Items sent in this run.</summary>
    public int Sent { get; private set; }

    /// <summary>Items found indexed.</summary>
    public int Indexed { get; private set; }

    /// <summary>Whether the indexing was waited for.</summary>
    public bool Waited { get; set; }

    /// <summary>Time spent sending, then waiting.</summary>
    public TimeSpan SendTime { get; set; }

    /// <summary>Time spent waiting for the encoder.</summary>
    public TimeSpan WaitTime { get; set; }

    /// <summary>Counts an item the service accepted with <paramref name="outcome"/> (created, replaced, unchanged, or "sent before").</summary>
    public void Accept(string id, string outcome)
    {
        _accepted.Add(id);
        _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
        Handled++;
        if (outcome != SentBefore)
        {
            Sent++;
        }
    }

    /// <summary>Counts an entry refused, with where it comes from.</summary>
    public void Reject(string where, string reason)
    {
        _rejected.Add((where, reason));
        Handled++;
    }

    /// <summary>Counts an item found indexed.</summary>
    public void IndexedOne() => Indexed++;

    /// <summary>Counts an item that will not be indexed.</summary>
    public void Fail(string id, string reason) => _failed.Add((id, reason));

    /// <summary>The outcome of items accepted by an earlier run, found in the checkpoint.</summary>
    public const string SentBefore = "sent before";

    /// <summary>Whether everything was accepted and (when waited for) indexed.</summary>
    public bool Complete => _rejected.Count == 0 && _failed.Count == 0 && (!Waited || Indexed == _accepted.Count);

    /// <summary>The summary printed at the end.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"ingest of {source.Path} ({source.Kind}) into {service}: {source.Entries.Count} entries");
        var outcomes = new[] { "created", "replaced", "unchanged", SentBefore }.Select(o => $"{o} {_outcomes.GetValueOrDefault(o)}");
        text.AppendLine(invariant, $"accepted: {_accepted.Count} ({string.Join(", ", outcomes)}); {Sent} sent in {SendTime.TotalSeconds:F1} s");
        text.AppendLine(invariant, $"rejected: {_rejected.Count}");
        foreach (var (where, reason) in _rejected)
        {
            text.AppendLine(invariant, $"  {where}: {reason}");
        }
        if (Waited)
        {
            text.AppendLine(invariant, $"indexed: {Indexed} of {_accepted.Count} after {WaitTime.TotalSeconds:F1} s more; failed: {_failed.Count}");
            foreach (var (id, reason) in _failed)
            {
                text.AppendLine(invariant, $"  {id}: {reason}");
            }
        }
        else
        {
            text.AppendLine("indexed: not waited for (--no-wait); `ms2gan ingest` of the same source again sends nothing new and waits");
        }
        return text.ToString();
    }
}
