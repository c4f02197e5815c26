using MS2GAN.Pipeline;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Media;

namespace MS2GAN.Ingest;

/// <summary>The HTTP API of the ingest service: <c>/v1/items</c>.</summary>
public static class IngestEndpoints
{
    private static readonly string[] NdjsonMediaTypes = ["application/x-ndjson", "application/ndjson", "application/jsonl"];
    private static readonly HashSet<string> FormFields = ["id", "text", "image", "labels", "metadata", "imageFeatures", "textFeatures"];

    /// <summary>
    /// Maps <c>POST /v1/items</c> (JSON or multipart), <c>POST /v1/items/batch</c> (NDJSON),
    /// <c>GET /v1/items/{id}</c> and <c>DELETE /v1/items/{id}</c>. Writes need the API key; reads need it
    /// only when <see cref="IngestOptions.RequireApiKeyForReads"/> is set.
    /// </summary>
    public static IEndpointRouteBuilder MapIngestEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ServiceProvider.GetRequiredService<IOptions<IngestOptions>>().Value;
        var items = app.MapGroup("/v1/items").WithTags("Items");

        items.MapPost("/", PostItemAsync)
            .RequireApiKey()
            .WithName("IngestItem")
            .WithSummary("Ingests one item")
            .WithDescription(
                "Records one item given as JSON (image as base64) or as multipart/form-data (parts: image file, text, "
                + "labels and metadata as JSON, id, imageFeatures/textFeatures as JSON arrays). The same id with the same "
                + "content is 'unchanged'; new content under an existing id replaces it. Answers 202: indexing follows.")
            .Accepts<ItemRequest>("application/json", "multipart/form-data")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        items.MapPost("/batch", PostBatchAsync)
            .RequireApiKey()
            .WithName("IngestBatch")
            .WithSummary("Ingests items from NDJSON, one item per line")
            .WithDescription(
                "Streams an application/x-ndjson body, one item (the JSON form of POST /v1/items) per line, at most "
                + "Ingest:MaxBatchLines items. Valid lines are recorded even when others fail; the answer lists each line. "
                + "A longer batch answers 413 with the results of the lines read before the limit.")
            .Accepts<ItemRequest>("application/x-ndjson")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var get = items.MapGet("/{id}", GetItemAsync)
            .WithName("GetItem")
            .WithSummary("Shows an item and its pipeline state")
            .WithDescription("Labels, metadata, state (ingested, indexed or failed with its reason) and the model version it is indexed with.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        if (options.RequireApiKeyForReads)
        {
            get.RequireApiKey();
        }

        items.MapDelete("/{id}", DeleteItemAsync)
            .RequireApiKey()
            .WithName("DeleteItem")
            .WithSummary("Deletes an item everywhere")
            .WithDescription("Removes the item and its media, and tells the vector stores to drop it.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Accepted<IngestAccepted>, ValidationProblem, ProblemHttpResult>> PostItemAsync(
        HttpRequest request, IngestService service, IOptions<IngestOptions> options, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (TooLarge(request, limits.MaxRequestBytes) is { } tooLarge)
        {
            return tooLarge;
        }
        try
        {
            IngestResult result;
            if (request.HasJsonContentType())
            {
                var (item, errors) = await ItemRequestJson.TryReadAsync(request.Body, cancellationToken);
                if (item is null)
                {
                    return TypedResults.ValidationProblem(errors, title: "The item was refused.");
                }
                result = await service.IngestAsync(item, cancellationToken);
            }
            else if (request.HasFormContentType)
            {
                var (item, image, errors) = await ReadFormAsync(request, limits, cancellationToken);
                if (item is null)
                {
                    return TypedResults.ValidationProblem(errors, title: "The item was refused.");
                }
                result = await service.IngestAsync(item, image, cancellationToken);
            }
            else
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Unsupported content type.",
                    detail: $"Content-Type '{request.ContentType}' is not accepted: send application/json or multipart/form-data.");
            }

            if (!result.IsAccepted)
            {
                return TypedResults.ValidationProblem(result.Errors, title: "The item was refused.");
            }
            var id = result.Id!;
            return TypedResults.Accepted($"/v1/items/{id}", new IngestAccepted(id, OutcomeNames.Of(result.Outcome!.Value)));
        }
        catch (Exception exception) when (WriteProblem(exception) is { } problem)
        {
            return problem;
        }
    }

    private static async Task<Results<Ok<BatchIngestResult>, ProblemHttpResult>> PostBatchAsync(
        HttpRequest request, IngestService service, IOptions<IngestOptions> options, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (mediaType is null || !NdjsonMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported content type.",
                detail: $"Content-Type '{request.ContentType}' is not accepted: send application/x-ndjson, one item per line.");
        }
        if (TooLarge(request, limits.MaxBatchBytes) is { } tooLarge)
        {
            return tooLarge;
        }
        try
        {
            var result = await service.IngestBatchAsync(request.Body, cancellationToken);
            if (result.StoppedAtLine is { } line)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "The batch holds too many items.",
                    detail: $"A batch may hold at most {limits.MaxBatchLines} items; line {line} and the lines after it were not read. "
                        + "The lines before it were processed as listed in 'accepted' and 'rejected'; send the rest in another batch.",
                    extensions: new Dictionary<string, object?>
                    {
                        ["errors"] = new Dictionary<string, string[]> { ["body"] = [$"more than {limits.MaxBatchLines} items"] },
                        ["maxLines"] = limits.MaxBatchLines,
                        ["stoppedAtLine"] = line,
                        ["accepted"] = result.Accepted,
                        ["rejected"] = result.Rejected,
                    });
            }
            return TypedResults.Ok(result);
        }
        catch (Exception exception) when (WriteProblem(exception) is { } problem)
        {
            return problem;
        }
    }

    private static async Task<Results<Ok<ItemView>, ProblemHttpResult>> GetItemAsync(
        string id, IngestService service, CancellationToken cancellationToken)
    {
        var item = await service.GetAsync(id, cancellationToken);
        return item is null ? NotFound(id) : TypedResults.Ok(ItemView.From(item));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteItemAsync(
        string id, IngestService service, CancellationToken cancellationToken)
    {
        try
        {
            return await service.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);
        }
        catch (IngestPublishException exception)
        {
            return Unavailable(exception);
        }
    }

    /// <summary>Reads a multipart item. Repeated "labels" parts are one label each; a single part may also be a JSON array.</summary>
    private static async Task<(ItemRequest? Item, ReadOnlyMemory<byte>? Image, Dictionary<string, string[]> Errors)> ReadFormAsync(
        HttpRequest request, IngestOptions limits, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException and not BadHttpRequestException)
        {
            // The form reader throws IOException for a body without the boundary or cut short: the client's mistake.
            // BadHttpRequestException (an IOException too: body over the limit) keeps its own status, answered below.
            errors["body"] = [$"The multipart body could not be read: {exception.Message}"];
            return (null, null, errors);
        }

        foreach (var name in form.Keys.Concat(form.Files.Select(file => file.Name)).Distinct(StringComparer.Ordinal))
        {
            if (!FormFields.Contains(name))
            {
                errors[name] = [$"'{name}' is not a field of an item; expected one of {string.Join(", ", FormFields)}."];
            }
        }

        ReadOnlyMemory<byte>? image = null;
        var file = form.Files.GetFile("image");
        if (file is not null)
        {
            if (file.Length > limits.MaxImageBytes)
            {
                errors["image"] = [$"image is {file.Length} bytes; the limit is {limits.MaxImageBytes} bytes."];
            }
            else
            {
                var bytes = new byte[file.Length];
                await using var stream = file.OpenReadStream();
                await stream.ReadExactlyAsync(bytes, cancellationToken);
                image = bytes;
            }
        }

        var item = new ItemRequest
        {
            Id = Single(form, "id"),
            Text = Single(form, "text"),
            // A base64 string in a plain field works as in JSON; a file part takes precedence.
            Image = file is null ? Single(form, "image") : null,
            Labels = ReadLabels(form["labels"], errors),
            Metadata = ReadJson<Dictionary<string, string>>(form, "metadata", errors),
            ImageFeatures = ReadJson<float[]>(form, "imageFeatures", errors),
            TextFeatures = ReadJson<float[]>(form, "textFeatures", errors),
        };
        return errors.Count > 0 ? (null, null, errors) : (item, image, errors);
    }

    private static string? Single(IFormCollection form, string name)
    {
        var values = form[name];
        return values.Count == 0 ? null : values.ToString();
    }

    private static IReadOnlyList<string>? ReadLabels(StringValues values, Dictionary<string, string[]> errors)
    {
        if (values.Count == 0)
        {
            return null;
        }
        if (values.Count == 1 && values[0]!.TrimStart().StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<ItemRequest>($"{{\"labels\":{values[0]}}}", ItemRequestJson.Options)?.Labels;
            }
            catch (JsonException exception)
            {
                errors["labels"] = [$"labels is not a JSON array of strings or integers: {exception.Message}"];
                return null;
            }
        }
        return [.. values.Select(value => value ?? "")];
    }

    private static T? ReadJson<T>(IFormCollection form, string name, Dictionary<string, string[]> errors)
        where T : class
    {
        var value = Single(form, name);
        return value is null ? null : ItemRequestJson.TryReadField<T>(name, value, errors);
    }

    private static ProblemHttpResult? TooLarge(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request body is too large.",
                detail: $"The body is {request.ContentLength} bytes; the limit is {limit} bytes.");
        }
        // Bodies without a length (chunked) are cut off by the server at the same limit.
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }
        return null;
    }

    /// <summary>The answer to a failure while reading or recording items; null for failures that are not the client's or the broker's.</summary>
    private static ProblemHttpResult? WriteProblem(Exception exception) => exception switch
    {
        IngestPublishException publish => Unavailable(publish),
        // Only when Ingest:MaxImageBytes is set above the media store's own limit.
        MediaTooLargeException => TypedResults.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "The image is too large.", detail: exception.Message),
        BadHttpRequestException request => TypedResults.Problem(
            statusCode: request.StatusCode, title: "The request could not be read.", detail: exception.Message),
        _ => null,
    };

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No such item.",
        detail: $"There is no item with id '{id}'.");

    private static ProblemHttpResult Unavailable(IngestPublishException exception) => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "The message bus is unavailable.",
        detail: exception.Message + " Try again later.");
}
