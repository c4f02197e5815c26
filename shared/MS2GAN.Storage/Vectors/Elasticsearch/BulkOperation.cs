namespace MS2GAN.Storage.Vectors.Elasticsearch;

/// <summary>One line pair of a <c>_bulk</c> body: index <paramref name="Document"/> under <paramref name="Id"/>, or delete it when null.</summary>
internal sealed record BulkOperation(string Id, string? Document);
