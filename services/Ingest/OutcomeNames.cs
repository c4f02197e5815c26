using MS2GAN.Storage.Items;

namespace MS2GAN.Ingest;

/// <summary>The lower-case words used for upsert outcomes in the HTTP API (states: <see cref="ItemStateNames"/>).</summary>
internal static class OutcomeNames
{
    public static string Of(UpsertOutcome outcome) => outcome switch
    {
        UpsertOutcome.Created => "created",
        UpsertOutcome.Replaced => "replaced",
        UpsertOutcome.Unchanged => "unchanged",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown upsert outcome."),
    };
}
