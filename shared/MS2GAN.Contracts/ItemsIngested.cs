namespace MS2GAN.Contracts;

/// <summary>
/// Several items were recorded together (one chunk of a batch ingest): one message for the chunk instead
/// of one per item, so that a broker's per-message cost is paid once per chunk. Each entry means exactly
/// what an <see cref="ItemIngested"/> on its own would.
/// </summary>
/// <param name="Items">The items, in the order they were recorded; never empty.</param>
public sealed record ItemsIngested(IReadOnlyList<ItemIngested> Items);
