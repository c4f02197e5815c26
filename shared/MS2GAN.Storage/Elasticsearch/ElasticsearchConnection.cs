using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Polly;

namespace MS2GAN.Storage.Elasticsearch;

/// <summary>
/// Sends REST requests through the official client's transport (node pool, authentication, product check) and turns
/// answers into JSON or <see cref="ElasticsearchRequestException"/>. Request bodies are written by this library
/// against the documented REST shapes: the index template is a JSON file sent as it is, and the search bodies
/// (script_score, knn query) are easier to check against the documentation as JSON than as typed descriptors.
/// </summary>
internal sealed class ElasticsearchConnection(ElasticsearchClient client, ResiliencePipeline<JsonNode?> retries)
{
    /// <summary>What the client itself sends with <c>_bulk</c>: newline-delimited JSON, REST compatibility with 9.</summary>
    public const string NdjsonContentType = "application/vnd.elasticsearch+x-ndjson;compatible-with=9";

    private static readonly RequestConfiguration Ndjson = new() { ContentType = NdjsonContentType };

    /// <summary>Sends with back-off on transient failures (no answer, 429, 5xx).</summary>
    public ValueTask<JsonNode?> SendAsync(
        Elastic.Transport.HttpMethod method, string path, string? body, CancellationToken cancellationToken, bool allowNotFound = false) =>
        retries.ExecuteAsync(
            async token => (await SendOnceAsync(method, path, body, token, allowNotFound).ConfigureAwait(false)).Body,
            cancellationToken);

    /// <summary>One attempt; a 404 gives a null body when <paramref name="allowNotFound"/>, any other failure throws.</summary>
    public async Task<(int Status, JsonNode? Body)> SendOnceAsync(
        Elastic.Transport.HttpMethod method, string path, string? body, CancellationToken cancellationToken, bool allowNotFound = false, bool ndjson = false)
    {
        var response = body is null
            ? await client.Transport.RequestAsync<StringResponse>(method, path, cancellationToken).ConfigureAwait(false)
            : ndjson
                ? await client.Transport.RequestAsync<StringResponse>(method, path, PostData.String(body), Ndjson, cancellationToken).ConfigureAwait(false)
                : await client.Transport.RequestAsync<StringResponse>(method, path, PostData.String(body), cancellationToken).ConfigureAwait(false);
        var details = response.ApiCallDetails;
        var status = details.HttpStatusCode;
        var json = Parse(response.Body);
        if (status is >= 200 and < 300 && details.HasSuccessfulStatusCode)
        {
            return (status.Value, json);
        }

        if (allowNotFound && status == 404)
        {
            return (404, null);
        }

        var error = json?["error"];
        string? type = null;
        string? reason = null;
        if (error is JsonObject errorObject)
        {
            type = errorObject["type"]?.GetValue<string>();
            reason = errorObject["reason"]?.GetValue<string>();
        }
        else if (error is JsonValue errorText)
        {
            reason = errorText.ToString();
        }

        if (status is >= 200 and < 300)
        {
            // A 2xx the transport refused, e.g. a server that is not Elasticsearch (no x-elastic-product header).
            reason ??= details.OriginalException?.Message ?? "the response was not accepted as an Elasticsearch response";
        }

        throw new ElasticsearchRequestException(method.ToString(), path, status, type, reason ?? details.OriginalException?.Message, details.OriginalException);
    }

    private static JsonNode? Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
