using MS2GAN.Storage.Items;

namespace MS2GAN.Ingest;

/// <summary>The lower-case words used for outcomes and states in the HTTP API.</summary>
internal static class OutcomeNames
{
    public static string Of(UpsertOutcome outcome) => outcome switch
    {
        UpsertOutcome.Created => "created",
        UpsertOutcome.Replaced => "replaced",
        UpsertOutcome.Unchanged => "unchanged",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown upsert outcome."),
    };

    public static string Of(ItemState state) => state switch
    {
        ItemState.Ingested => "ingested",
        ItemState.Indexed => "indexed",
        ItemState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown item state."),
    };
}
