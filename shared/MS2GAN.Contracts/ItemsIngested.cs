namespace MS2GAN.Contracts;

/// <summary>
/// Items were recorded in the item store: one item of a single ingest, or one recorded chunk of a batch ingest (one
/// message for the chunk, so that a broker's per-message cost is paid once per chunk). The only shape of "items were
/// ingested" on the bus.
/// </summary>
/// <param name="Items">The items, in the order they were recorded; never empty.</param>
public sealed record ItemsIngested(IReadOnlyList<IngestedItem> Items);
