using MS2GAN.Pipeline;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MS2GAN.Ingest;
using MS2GAN.ServiceDefaults;
using MS2GAN.Trainer;

namespace MS2GAN.Host.Cli;

/// <summary>
/// The HTTP APIs of a running ms2gan service, shared by the verbs that talk to one: the admin API (`retrain`,
/// `rollback`, `models`), ingest (`ingest`) and search (`search`). Every answer other than success becomes a
/// <see cref="CommandFailedException"/> with the exit code the verbs document: 2 for a refused request or key, 3 when
/// the service cannot be reached.
/// </summary>
public sealed class ServiceClient : IDisposable
{
    /// <summary>How the services' JSON is read and written (camelCase; stages convert themselves).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    private const string AdminApi = "is this an ms2gan service with the admin API (serve or trainer)?";
    private const string IngestApi = "is this an ms2gan service with the ingest API (serve or ingest)?";
    private const string SearchApi = "is this an ms2gan service with the search API (serve or search)?";

    /// <summary>A client for the service at <paramref name="baseAddress"/> sending <paramref name="apiKey"/> (when given).</summary>
    public ServiceClient(Uri baseAddress, string? apiKey)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = RequestTimeout };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Add(ApiKeyOptions.HeaderName, apiKey);
        }
    }

    /// <summary>The service's address.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>POSTs an NDJSON batch of items to /v1/items/batch; returns the service's answer line by line.</summary>
    public async Task<BatchIngestResult> PostBatchAsync(ReadOnlyMemory<byte> ndjson, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(ndjson);
        content.Headers.ContentType = new("application/x-ndjson");
        using var response = await CallAsync(() => _http.PostAsync("/v1/items/batch", content, cancellationToken), IngestApi, cancellationToken);
        return await response.Content.ReadFromJsonAsync<BatchIngestResult>(Json, cancellationToken)
            ?? throw new CommandFailedException(CliRunner.Failure, "the service answered the batch with an empty body");
    }

    /// <summary>GET /v1/items/{id}; null when there is no such item.</summary>
    public async Task<ItemView?> GetItemAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(() => _http.GetAsync($"/v1/items/{Uri.EscapeDataString(id)}", cancellationToken), null, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<ItemView>(Json, cancellationToken);
    }

    /// <summary>POSTs a search request (any object of the JSON form of POST /v1/search); returns the answer as the service wrote it.</summary>
    public async Task<string> SearchJsonAsync(object request, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(() => _http.PostAsJsonAsync("/v1/search", request, Json, cancellationToken), SearchApi, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>POSTs a command (<c>retrain</c> or <c>rollback</c>) with its body; returns its request id.</summary>
    public async Task<CommandAccepted> SendAsync(string command, object body, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(() => _http.PostAsJsonAsync($"/v1/admin/{command}", body, Json, cancellationToken), AdminApi, cancellationToken);
        return await response.Content.ReadFromJsonAsync<CommandAccepted>(Json, cancellationToken)
            ?? throw new CommandFailedException(CliRunner.Failure, $"the service accepted the {command} command with an empty answer");
    }

    /// <summary>GET /v1/admin/status as the service wrote it.</summary>
    public async Task<string> GetStatusJsonAsync(CancellationToken cancellationToken)
    {
        using var response = await CallAsync(() => _http.GetAsync(AdminEndpoints.StatusPath, cancellationToken), AdminApi, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>GET /v1/admin/status, read.</summary>
    public async Task<LifecycleStatus> GetStatusAsync(CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<LifecycleStatus>(await GetStatusJsonAsync(cancellationToken), Json)
        ?? throw new CommandFailedException(CliRunner.Failure, "the service answered the status request with an empty body");

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Makes the call; a 404 is an error saying <paramref name="notFound"/>, or is returned when that is null.</summary>
    private async Task<HttpResponseMessage> CallAsync(Func<Task<HttpResponseMessage>> call, string? notFound, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await call();
        }
        catch (HttpRequestException ex)
        {
            throw new CommandFailedException(CliRunner.Unreachable, $"cannot reach the ms2gan service at {_http.BaseAddress}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailedException(CliRunner.Unreachable,
                $"the ms2gan service at {_http.BaseAddress} did not answer within {RequestTimeout.TotalSeconds:F0} s");
        }
        if (response.IsSuccessStatusCode || (response.StatusCode == HttpStatusCode.NotFound && notFound is null))
        {
            return response;
        }
        using (response)
        {
            var problem = await ReadProblemAsync(response, cancellationToken);
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new CommandFailedException(CliRunner.BadInput,
                    $"the service refused the API key (give --api-key or set {ApiKeyOptions.EnvironmentVariable})"),
                HttpStatusCode.BadRequest => new CommandFailedException(CliRunner.BadInput, $"the service refused the request: {problem}"),
                HttpStatusCode.NotFound => new CommandFailedException(CliRunner.Failure,
                    $"{response.RequestMessage?.RequestUri} answered 404: {notFound}"),
                HttpStatusCode.Conflict => new CommandFailedException(CliRunner.Failure, problem),
                _ => new CommandFailedException(CliRunner.Failure, $"the service answered {(int)response.StatusCode} {response.ReasonPhrase}: {problem}"),
            };
        }
    }

    /// <summary>A problem's title and each field's errors that the title does not already say.</summary>
    private static async Task<string> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        HttpValidationProblemDetails? problem;
        try
        {
            problem = JsonSerializer.Deserialize<HttpValidationProblemDetails>(body, Json);
        }
        catch (JsonException)
        {
            problem = null;
        }
        if (problem is null)
        {
            return body.Length > 200 ? body[..200] + "..." : body;
        }
        var details = problem.Errors.SelectMany(e => e.Value.Where(m => m != problem.Title).Select(m => $"{e.Key}: {m}"));
        return string.Join("; ", new[] { problem.Title ?? problem.Detail }.Concat(details).Where(s => !string.IsNullOrEmpty(s)));
    }
}
