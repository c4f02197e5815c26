namespace MS2GAN.Storage.Elasticsearch;

/// <summary>One document of a <c>_bulk</c> request that Elasticsearch refused.</summary>
/// <param name="Id">The document id, <c>{itemId}:{modality}</c>.</param>
/// <param name="Status">The item's HTTP status.</param>
/// <param name="ErrorType">Elasticsearch's <c>error.type</c>.</param>
/// <param name="Reason">Elasticsearch's <c>error.reason</c>.</param>
public sealed record BulkItemFailure(string Id, int Status, string? ErrorType, string? Reason);
