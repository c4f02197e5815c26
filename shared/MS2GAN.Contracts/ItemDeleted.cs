namespace MS2GAN.Contracts;

/// <summary>
/// An item was removed from the item store; consumers remove it from every vector index they write.
/// </summary>
/// <param name="ItemId">The id of the removed item.</param>
/// <param name="DeletedAt">When it was removed.</param>
public sealed record ItemDeleted(string ItemId, DateTimeOffset DeletedAt);
