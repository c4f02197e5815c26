namespace MS2GAN.Search;

/// <summary>A search request that cannot be answered as asked; becomes a 4xx ProblemDetails naming the field.</summary>
public sealed class SearchRequestException(string field, string message, int statusCode = 400) : Exception(message)
{
    /// <summary>The request field at fault (e.g. "query.features").</summary>
    public string Field { get; } = field;

    /// <summary>HTTP status to answer with.</summary>
    public int StatusCode { get; } = statusCode;
}
