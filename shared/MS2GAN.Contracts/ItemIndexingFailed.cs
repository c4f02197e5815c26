namespace MS2GAN.Contracts;

/// <summary>
/// An item could not be indexed (undecodable image, features that do not fit the model, ...). The item
/// is marked failed in the item store with the same reason; the rest of its batch is unaffected.
/// </summary>
/// <param name="ItemId">The item's id in the item store.</param>
/// <param name="Reason">Why, in words a client can act on.</param>
/// <param name="FailedAt">When the failure was recorded.</param>
public sealed record ItemIndexingFailed(string ItemId, string Reason, DateTimeOffset FailedAt);
