using System.Text;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using MS2GAN.Storage.Vectors.Elasticsearch;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Tests.Vectors.Elasticsearch;

/// <summary>
/// An Elasticsearch that answers from a script, built on the transport's <see cref="InMemoryRequestInvoker"/>: every
/// request gets a fresh in-memory invoker holding the scripted answer (with the <c>x-elastic-product</c> header the
/// client insists on), and direct streaming is off so the exact bytes the client sent are captured.
/// </summary>
internal sealed class ScriptedElasticsearch : IRequestInvoker
{
    private static readonly Dictionary<string, IEnumerable<string>> ProductHeader = new() { ["x-elastic-product"] = ["Elasticsearch"] };
    private readonly InMemoryRequestInvoker _factorySource = new();
    private readonly List<Func<CapturedRequest, (int Status, string Body)?>> _routes = [];

    public List<CapturedRequest> Requests { get; } = [];

    public ResponseFactory ResponseFactory => _factorySource.ResponseFactory;

    /// <summary>Answers requests matching <paramref name="method"/> and a path starting with <paramref name="pathPrefix"/>; later rules win.</summary>
    public ScriptedElasticsearch On(string method, string pathPrefix, int status, string body) =>
        On(method, pathPrefix, _ => (status, body));

    /// <summary>Answers matching requests with a function of the request (e.g. a sequence of answers).</summary>
    public ScriptedElasticsearch On(string method, string pathPrefix, Func<CapturedRequest, (int Status, string Body)> answer)
    {
        _routes.Insert(0, r => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal) ? answer(r) : null);
        return this;
    }

    public ElasticsearchClient Client() =>
        new(new ElasticsearchClientSettings(new SingleNodePool(new Uri("http://es.test:9200")), this).DisableDirectStreaming());

    public ElasticsearchVectorStore Store(ElasticsearchVectorStoreOptions? options = null) =>
        new(Client(), options ?? new ElasticsearchVectorStoreOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) });

    public IEnumerable<CapturedRequest> To(string method, string pathPrefix) =>
        Requests.Where(r => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    public TResponse Request<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData)
        where TResponse : TransportResponse, new() =>
        RequestAsync<TResponse>(endpoint, boundConfiguration, postData, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<TResponse> RequestAsync<TResponse>(
        Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData, CancellationToken cancellationToken)
        where TResponse : TransportResponse, new()
    {
        string? body = null;
        if (postData is not null)
        {
            using var buffer = new MemoryStream();
            await postData.WriteAsync(buffer, boundConfiguration.ConnectionSettings, disableDirectStreaming: true, cancellationToken);
            body = Encoding.UTF8.GetString(buffer.ToArray());
        }

        var request = new CapturedRequest(endpoint.Method.ToString(), endpoint.PathAndQuery, body, boundConfiguration.ContentType);
        lock (Requests)
        {
            Requests.Add(request);
        }

        var (status, answer) = _routes.Select(route => route(request)).FirstOrDefault(a => a is not null)
            ?? (404, """{"error":{"type":"scripted_no_route","reason":"no scripted answer"},"status":404}""");
        using var invoker = new InMemoryRequestInvoker(Encoding.UTF8.GetBytes(answer), status, null, "application/json", ProductHeader);
        return await invoker.RequestAsync<TResponse>(endpoint, boundConfiguration, postData, cancellationToken);
    }

    public void Dispose() => ((IDisposable)_factorySource).Dispose();
}

/// <summary>A request as the client sent it.</summary>
internal sealed record CapturedRequest(string Method, string Path, string? Body, string ContentType)
{
    public JsonNode Json => JsonNode.Parse(Body ?? throw new InvalidOperationException($"{Method} {Path} had no body"))!;

    /// <summary>The lines of an NDJSON body (bulk).</summary>
    public JsonNode[] Lines => [.. (Body ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];
}
