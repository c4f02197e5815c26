namespace MS2GAN.Storage.Elasticsearch;

/// <summary>An Elasticsearch request that failed after its retries (or could not be retried).</summary>
public sealed class ElasticsearchRequestException(string method, string path, int? status, string? errorType, string? reason, Exception? inner = null)
    : Exception(
        $"Elasticsearch {method} {path} failed: {(status is null ? "no response" : $"HTTP {status}")}"
        + (errorType is null ? string.Empty : $" {errorType}") + (reason is null ? string.Empty : $": {reason}"),
        inner)
{
    /// <summary>The HTTP status, or null when the server did not answer.</summary>
    public int? Status { get; } = status;

    /// <summary>Elasticsearch's <c>error.type</c>, when the body had one.</summary>
    public string? ErrorType { get; } = errorType;

    /// <summary>Elasticsearch's <c>error.reason</c>, when the body had one.</summary>
    public string? Reason { get; } = reason;

    /// <summary>True for failures worth retrying with back-off: no answer, 429 and 5xx.</summary>
    public bool IsTransient => IsTransientStatus(Status);

    internal static bool IsTransientStatus(int? status) => status is null or 0 or 429 or >= 500;
}
