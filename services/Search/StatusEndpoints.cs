using Microsoft.AspNetCore.Http.HttpResults;
using MS2GAN.Model.Inference;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Search;

/// <summary>
/// GET /v1/search/status: what the search service can see of the pipeline, for the web page's status view. The
/// registry part is the one GET /v1/admin/status gives (without the key, the history and the outcomes); queue lag in
/// time, ingest and search rates are on /metrics.
/// </summary>
public static class StatusEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    internal static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/search/status", StatusAsync)
            .WithTags("Search")
            .RequireApiKeyForSearch()
            .WithName("SearchStatus")
            .WithSummary("Items by state, the index searches read, the active model with its metrics, and reindex progress");
        return app;
    }

    private static async Task<Ok<SearchStatus>> StatusAsync(IItemStore items, IVectorStore vectors, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var counts = await items.CountByStateAsync(cancellationToken);
        var index = await vectors.GetIndexAsync(ModelCatalog.Alias, cancellationToken);
        var state = catalog.Registry.Read();
        ModelStatus? model = null;
        if (state.Active is { } active)
        {
            var manifest = catalog.Get(active).Model.Manifest;
            var registered = state.Find(active);
            model = new ModelStatus(manifest.Version, manifest.CreatedUtc, manifest.ClassNames, manifest.DefaultWeights, manifest.Metrics,
                registered?.HoldoutMap, registered?.BaselineMap);
        }
        var reindex = state.Reindex is { } r
            ? new ReindexProgress(r.Kind, r.Version, r.FromVersion, r.Done, r.Total, Math.Round(r.ItemsPerSecond, 1), r.Remaining?.TotalSeconds)
            : null;
        return TypedResults.Ok(new SearchStatus(
            counts.ToDictionary(c => ItemStateNames.Name(c.Key), c => c.Value), index?.Name, index?.ModelVersion, model, state.Previous?.Version, reindex));
    }
}
