namespace MS2GAN.Storage.Elasticsearch;

/// <summary>The outcome of one <c>_bulk</c> attempt: how many documents were refused with 429 or 5xx and are worth retrying.</summary>
internal readonly record struct BulkPass(int Retryable);
