using System.Text.Json;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MS2GAN.ServiceDefaults;

namespace MS2GAN.Search;

/// <summary>HTTP endpoints of the search service.</summary>
public static class SearchEndpoints
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Maps POST /v1/search (JSON, or multipart/form-data with an image file).</summary>
    internal static RouteGroupBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/search").WithTags("Search").RequireApiKeyForSearch();
        group.MapPost("/", SearchAsync)
            .WithName("Search")
            .WithSummary("kNN search across modalities")
            .WithDescription("query is one of {text}, {image: base64}, {itemId, modality}, {features, modality}; target image|text|any; k 1..1000; " +
                             "optional filter {labels (any of), metadata (exact)} and weights {specific, shared}. Multipart: an 'image' file part " +
                             "and optional target, k, specificWeight, sharedWeight and labels (repeated) fields.")
            .Accepts<SearchRequest>("application/json", "multipart/form-data")
            .Produces<SearchResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();
        return group;
    }

    private static async Task<Results<Ok<SearchResponse>, ValidationProblem, ProblemHttpResult>> SearchAsync(
        HttpRequest http, SearchService search, IOptions<SearchOptions> options, Ms2GanMetrics metrics, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var request = http.HasFormContentType
                ? await FromFormAsync(http, options.Value, cancellationToken)
                : await http.ReadFromJsonAsync<SearchRequest>(JsonOptions, cancellationToken);
            if (request is null)
            {
                return Invalid("body", "a search request is required");
            }
            var response = await search.SearchAsync(request, cancellationToken);
            metrics.Search(request.Target, Stopwatch.GetElapsedTime(started));
            return TypedResults.Ok(response);
        }
        catch (JsonException ex)
        {
            return Invalid("body", $"the body is not valid JSON for a search request: {ex.Message}");
        }
        catch (SearchRequestException ex) when (ex.StatusCode == StatusCodes.Status400BadRequest)
        {
            return Invalid(ex.Field, ex.Message);
        }
        catch (SearchRequestException ex)
        {
            return TypedResults.Problem(title: ex.Message, statusCode: ex.StatusCode, extensions: new Dictionary<string, object?> { ["field"] = ex.Field });
        }
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: message);

    private static async Task<SearchRequest> FromFormAsync(HttpRequest http, SearchOptions limits, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await http.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException and not BadHttpRequestException)
        {
            // A broken multipart body is the client's mistake (missing boundary, body cut short), not the server's.
            throw new SearchRequestException("body", $"the multipart body could not be read: {ex.Message}");
        }
        var file = form.Files.GetFile("image") ?? throw new SearchRequestException("image", "a multipart search needs an 'image' file part");
        limits.CheckImageSize(file.Length, "image");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        double? Number(string name) => form.TryGetValue(name, out var value) && value.Count > 0
            ? double.TryParse(value[0], System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new SearchRequestException(name, $"{name} must be a number")
            : null;
        var specific = Number("specificWeight");
        var shared = Number("sharedWeight");
        // Repeated "labels" fields: hits carrying any of them (the JSON form's filter.labels).
        var labels = form.TryGetValue("labels", out var labelValues)
            ? labelValues.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!).ToList()
            : [];
        return new SearchRequest
        {
            Query = new SearchQuery(null, Convert.ToBase64String(buffer.ToArray()), null, null, null),
            Target = form.TryGetValue("target", out var target) && target.Count > 0 ? target[0]! : "any",
            K = (int?)Number("k") ?? 10,
            Weights = specific is null && shared is null ? null : new SearchWeights(specific ?? 0, shared ?? 0),
            Filter = labels.Count == 0 ? null : new SearchFilter(labels, null),
        };
    }
}
