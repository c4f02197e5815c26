using MS2GAN.Pipeline;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;

namespace MS2GAN.Search;

/// <summary>
/// What the web page reads about an item: <c>GET /v1/search/items/{id}</c> (labels, metadata, state, model version) and
/// <c>GET /v1/items/{id}/media</c> (its image or its text). Both follow the search key rule (open unless
/// ApiKeys:RequireForSearch is set). An id is checked by <see cref="ItemIds"/> before anything is read, and media are
/// found through the item's media reference, never a path made from the id.
/// </summary>
public static class ItemEndpoints
{
    private static readonly string[] Modalities = ["image", "text"];

    /// <summary>Maps the two endpoints.</summary>
    internal static IEndpointRouteBuilder MapItemEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/search/items/{id}", GetAsync)
            .WithTags("Search")
            .RequireApiKeyForSearch()
            .WithName("ViewItem")
            .WithSummary("An item as the web page shows it: labels, metadata, state, model version and which media it has")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/v1/items/{id}/media", MediaAsync)
            .WithTags("Search")
            .RequireApiKeyForSearch()
            .WithName("ItemMedia")
            .WithSummary("An item's image (its stored content type) or, with modality=text, its text (text/plain)")
            .WithDescription("modality: image or text; by default the image when the item has one, else its text. Media over Search:MaxMediaBytes answer 413.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "image/png", "image/jpeg", "image/webp", "text/plain")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static async Task<Results<Ok<ItemView>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, IItemStore items, CancellationToken cancellationToken)
    {
        if (!ItemIds.TryValidate(id, out var error))
        {
            return InvalidId(error!);
        }
        var item = await items.GetAsync(id, cancellationToken);
        return item is null ? NotFound($"no item {id}") : TypedResults.Ok(ItemView.From(item));
    }

    private static async Task<Results<FileStreamHttpResult, ContentHttpResult, ValidationProblem, ProblemHttpResult>> MediaAsync(
        string id, string? modality, HttpContext http, IItemStore items, IMediaStore media, IOptions<SearchOptions> options,
        CancellationToken cancellationToken)
    {
        if (!ItemIds.TryValidate(id, out var error))
        {
            return InvalidId(error!);
        }
        if (modality is not null && !Modalities.Contains(modality))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["modality"] = [$"modality must be image or text (got {modality})"] },
                title: $"modality must be image or text (got {modality})");
        }
        var item = await items.GetAsync(id, cancellationToken);
        if (item is null)
        {
            return NotFound($"no item {id}");
        }
        var limit = options.Value.MaxMediaBytes;
        // Stored media are shown, never run: no sniffing a type of their own, no scripts even when opened directly.
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        if ((modality ?? (item.ImageMediaRef is null ? "text" : "image")) == "text")
        {
            if (item.Text is null)
            {
                return NotFound($"item {id} has no text");
            }
            var bytes = Encoding.UTF8.GetByteCount(item.Text);
            return bytes > limit ? TooLarge(id, bytes, limit) : TypedResults.Text(item.Text, "text/plain; charset=utf-8");
        }
        if (item.ImageMediaRef is null)
        {
            return NotFound($"item {id} has no image");
        }
        var stream = await media.OpenReadAsync(item.ImageMediaRef, cancellationToken);
        if (stream is null)
        {
            return NotFound($"the image of item {id} is missing from the media store");
        }
        var length = stream.Length;
        if (length > limit)
        {
            await stream.DisposeAsync();
            return TooLarge(id, length, limit);
        }
        var contentType = item.ImageContentType is { } type && type.StartsWith("image/", StringComparison.Ordinal) ? type : "application/octet-stream";
        return TypedResults.Stream(stream, contentType);
    }

    private static ValidationProblem InvalidId(string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [error] }, title: error);

    private static ProblemHttpResult NotFound(string title) => TypedResults.Problem(title: title, statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult TooLarge(string id, long bytes, long limit) => TypedResults.Problem(
        title: $"the media of item {id} is too large to send here",
        detail: $"{bytes:N0} bytes, over the limit of {limit:N0} bytes (Search:MaxMediaBytes)",
        statusCode: StatusCodes.Status413PayloadTooLarge);
}
