using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using MS2GAN.Contracts;
using MS2GAN.Model.Inference;
using Microsoft.Extensions.Options;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;

namespace MS2GAN.Trainer;

/// <summary>
/// The admin API (behind the API key): send a retrain or rollback command to the trainer, and read the registry's
/// status (versions, the active one, reindex progress with rate and ETA, how recent commands ended). Any service
/// that shares the model registry can serve it.
/// </summary>
public static class AdminEndpoints
{
    /// <summary>The status path clients poll.</summary>
    public const string StatusPath = "/v1/admin/status";

    /// <summary>Maps POST /v1/admin/retrain, POST /v1/admin/rollback and GET /v1/admin/status.</summary>
    internal static RouteGroupBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin").WithTags("Admin").RequireApiKey();
        group.MapPost("/retrain", RetrainAsync)
            .WithName("Retrain")
            .WithSummary("Send a retrain command (quality gate, reindex and alias swap follow)")
            .Accepts<RetrainRequest>(isOptional: true, "application/json")
            .Produces<CommandAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .DisableAntiforgery();
        group.MapPost("/rollback", RollbackAsync)
            .WithName("Rollback")
            .WithSummary("Send a rollback command: the previous model version becomes active again")
            .Accepts<RollbackRequest>(isOptional: true, "application/json")
            .Produces<CommandAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .DisableAntiforgery();
        group.MapGet("/status", Status)
            .WithName("LifecycleStatus")
            .WithSummary("Model versions, the active one, reindex progress and recent outcomes");
        return group;
    }

    private static async Task<Results<Accepted<CommandAccepted>, ValidationProblem>> RetrainAsync(
        HttpRequest http, IItemStore items, IOptions<LifecycleOptions> options, IBus bus, CancellationToken cancellationToken)
    {
        RetrainRequest request;
        try
        {
            request = http.ContentLength is 0 || !http.HasJsonContentType()
                ? new RetrainRequest(null, null, null, null)
                : await http.ReadFromJsonAsync<RetrainRequest>(cancellationToken) ?? new RetrainRequest(null, null, null, null);
        }
        catch (JsonException ex)
        {
            return Invalid("body", $"the body is not a valid retrain request: {ex.Message}");
        }
        if (request.Epochs is < 1 or > 10_000)
        {
            return Invalid("epochs", $"epochs must be between 1 and 10000 (got {request.Epochs})");
        }
        if (request.Labels is { } labels && labels.Any(string.IsNullOrWhiteSpace))
        {
            return Invalid("labels", "labels must be non-empty strings");
        }
        var configJson = request.Config is { ValueKind: not JsonValueKind.Null } config ? config.GetRawText() : null;
        try
        {
            // The trainer composes the same configuration and tolerance when the command arrives; a request that cannot
            // work is refused here.
            RetrainOverrides.Apply(request.Configuration, configJson, request.Epochs);
            RetrainOverrides.Tolerance(request.Tolerance, options.Value.Tolerance);
        }
        catch (LifecycleRejection ex)
        {
            return Invalid(ex.Field ?? "config", ex.Message);
        }
        if (LabelProblem(await items.CountLabelsAsync(cancellationToken), request.Labels, options.Value) is { } labelProblem)
        {
            return Invalid("labels", labelProblem);
        }
        var command = new RetrainModel(string.IsNullOrWhiteSpace(request.RequestedBy) ? "admin-api" : request.RequestedBy, request.Epochs, configJson,
            request.Labels, Guid.NewGuid(), request.Tolerance, request.Configuration);
        await bus.Publish(command, cancellationToken);
        return TypedResults.Accepted(StatusPath, new CommandAccepted(command.RequestId!.Value, StatusPath));
    }

    private static async Task<Results<Accepted<CommandAccepted>, ProblemHttpResult>> RollbackAsync(
        HttpRequest http, ModelCatalog catalog, IBus bus, CancellationToken cancellationToken)
    {
        RollbackRequest? request = null;
        if (http.ContentLength is not 0 && http.HasJsonContentType())
        {
            try
            {
                request = await http.ReadFromJsonAsync<RollbackRequest>(cancellationToken);
            }
            catch (JsonException ex)
            {
                return TypedResults.Problem(title: $"the body is not a valid rollback request: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
            }
        }
        if (catalog.Registry.Read().Previous is null)
        {
            return TypedResults.Problem(title: "there is no previous model version to roll back to", statusCode: StatusCodes.Status409Conflict);
        }
        var command = new RollbackModel(string.IsNullOrWhiteSpace(request?.RequestedBy) ? "admin-api" : request.RequestedBy, Guid.NewGuid());
        await bus.Publish(command, cancellationToken);
        return TypedResults.Accepted(StatusPath, new CommandAccepted(command.RequestId!.Value, StatusPath));
    }

    private static Ok<LifecycleStatus> Status(ModelCatalog catalog)
    {
        var state = catalog.Registry.Read();
        var reindex = state.Reindex is { } r
            ? new ReindexStatus(r.Kind, r.Version, r.FromVersion, r.Done, r.Total, Math.Round(r.ItemsPerSecond, 1), r.Remaining?.TotalSeconds, r.StartedAt)
            : null;
        return TypedResults.Ok(new LifecycleStatus(state.Active, state.Previous?.Version, reindex, state.Models, state.Outcomes));
    }

    /// <summary>
    /// Why the labelled items cannot train a model (unknown labels, one class, fewer than Lifecycle:MinLabelledItems), from
    /// the store's label counts; null when they may. The trainer checks the items' features again when the command arrives.
    /// </summary>
    internal static string? LabelProblem(LabelCounts counts, IReadOnlyList<string>? filter, LifecycleOptions options)
    {
        if (filter is { Count: > 0 })
        {
            var unknown = filter.Where(label => !counts.ByLabel.ContainsKey(label)).Distinct(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                var known = counts.ByLabel.Keys.Order(StringComparer.Ordinal).Take(20).ToList();
                return $"unknown label{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}: no item carries {(unknown.Count > 1 ? "them" : "it")} " +
                       $"(labels in the store: {(known.Count == 0 ? "none" : string.Join(", ", known) + (counts.ByLabel.Count > known.Count ? ", ..." : ""))})";
            }
        }
        var classes = filter is { Count: > 0 } ? filter.Distinct(StringComparer.Ordinal).ToList() : [.. counts.ByLabel.Keys];
        // With a filter, an item carrying two of its labels is counted twice: an upper bound, refined by the trainer.
        var labelled = filter is { Count: > 0 } ? classes.Sum(label => counts.ByLabel[label]) : counts.LabelledItems;
        return LabelRules.Problem(labelled, classes, LabelRules.Which(filter), "", options);
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: message);
}
