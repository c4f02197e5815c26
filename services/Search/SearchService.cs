using Microsoft.Extensions.Options;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Inference;
using MS2GAN.Pipeline;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Search;

/// <summary>
/// Answers kNN queries across modalities. The query is encoded by the model version whose vectors the index
/// behind the alias holds, and searched in that physical index: when a reindex swaps the alias, the query
/// encoder switches with it, and one answer never mixes versions.
/// </summary>
public sealed class SearchService(
    IVectorStore vectors, IItemStore items, ModelCatalog catalog, ItemVectorizer vectorizer, BackboneSet backbones, IOptions<SearchOptions>? options = null)
{
    /// <summary>Largest k a request may ask for.</summary>
    public const int MaxK = 1000;

    private static readonly string[] Targets = ["image", "text", "any"];
    private static readonly string[] Modalities = ["image", "text"];

    private readonly SearchOptions _limits = options?.Value ?? new SearchOptions();

    /// <summary>Validates, encodes and runs one search.</summary>
    /// <exception cref="SearchRequestException">The request is invalid, names an unknown item, or the index is not ready.</exception>
    public async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        var query = request.Query ?? throw new SearchRequestException("query", "a query is required");
        if (request.K is < 1 or > MaxK)
        {
            throw new SearchRequestException("k", $"k must be between 1 and {MaxK} (got {request.K})");
        }
        if (request.Offset is < 0 or > VectorQuery.MaxResultWindow)
        {
            throw new SearchRequestException("offset", $"offset must be between 0 and {VectorQuery.MaxResultWindow}");
        }
        if (!Targets.Contains(request.Target))
        {
            throw new SearchRequestException("target", $"target must be image, text or any (got {request.Target})");
        }
        var filter = request.Filter;
        if (filter?.MinConfidence is { } minConfidence && (filter.AutoLabel is null || !(minConfidence is >= 0 and <= 1)))
        {
            throw new SearchRequestException("filter.minConfidence",
                filter.AutoLabel is null ? "filter.minConfidence needs filter.autoLabel (the predicted label it applies to)" : $"filter.minConfidence must be between 0 and 1 (got {minConfidence})");
        }
        if (filter?.AutoLabel is { } autoLabel && string.IsNullOrWhiteSpace(autoLabel))
        {
            throw new SearchRequestException("filter.autoLabel", "filter.autoLabel is empty: give the predicted label to filter on");
        }
        var (index, active) = await ServingIndexAsync(cancellationToken);
        var defaults = active.Model.Manifest.DefaultWeights;
        var weights = request.Weights ?? new SearchWeights(defaults.Specific, defaults.Shared);
        if (!double.IsFinite(weights.Specific) || !double.IsFinite(weights.Shared) || weights.Specific < 0 || weights.Shared < 0
            || weights.Specific + weights.Shared <= 0)
        {
            throw new SearchRequestException("weights", "weights must be finite, non-negative and not both zero");
        }

        var (modality, features, exclude) = await BaseFeaturesAsync(active, query, cancellationToken);
        var encoded = active.Model.Encode(modality, new FeatureMatrix(features, 1, features.Length));
        var hits = await vectors.SearchAsync(index.Name, new VectorQuery(
            encoded.Specific.Values, encoded.Shared.Values, weights.Specific, weights.Shared, request.Target, request.K, request.Offset,
            filter?.Labels, filter?.Metadata, exclude, filter?.AutoLabel, filter?.MinConfidence ?? 0), cancellationToken);
        return new SearchResponse(active.Version, hits.Select(h => new SearchHit(h.ItemId, h.Modality, h.Score, h.Labels, h.Metadata, h.AutoLabel)).ToList());
    }

    // The physical index behind the alias and the version that wrote it; the query is searched there, not through the
    // alias, so a swap between this read and the search cannot pair one version's query with another's vectors.
    private async Task<(IndexDefinition Index, ServedModel Model)> ServingIndexAsync(CancellationToken cancellationToken)
    {
        if (catalog.Registry.Read().Active is null)
        {
            throw new SearchRequestException("model",
                "no model is active yet: ingest labelled items (POST /v1/items, or `ms2gan ingest PATH`) and train the first model with " +
                "`ms2gan retrain` (POST /v1/admin/retrain); items ingested meanwhile are indexed when it is promoted", StatusCodes.Status409Conflict);
        }
        var index = await vectors.GetIndexAsync(ModelCatalog.Alias, cancellationToken)
            ?? throw new SearchRequestException("index", "nothing has been indexed yet", 503);
        try
        {
            return (index, catalog.Get(index.ModelVersion ?? throw new KeyNotFoundException(index.Name)));
        }
        catch (KeyNotFoundException)
        {
            throw new SearchRequestException("index", $"the index is served by model {index.ModelVersion}, which is not in this service's model registry", 503);
        }
    }

    private async Task<(string Modality, float[] Features, string? Exclude)> BaseFeaturesAsync(ServedModel active, SearchQuery query, CancellationToken cancellationToken)
    {
        var forms = new[] { query.Text is not null, query.Image is not null, query.ItemId is not null, query.Features is not null }.Count(x => x);
        if (forms != 1)
        {
            throw new SearchRequestException("query", "give exactly one of query.text, query.image, query.itemId or query.features");
        }
        var space = active.Model.Manifest.FeatureSpace;
        if (query.Text is not null)
        {
            if (string.IsNullOrWhiteSpace(query.Text))
            {
                throw new SearchRequestException("query.text", "the query text is empty: type what to look for");
            }
            if (query.Text.Length > _limits.MaxTextLength)
            {
                throw new SearchRequestException("query.text", $"the query text is {query.Text.Length} characters long; the limit is {_limits.MaxTextLength}");
            }
            return ("text", TextFeatures(active, query.Text, "query.text"), null);
        }
        if (query.Image is not null)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(query.Image);
            }
            catch (FormatException)
            {
                throw new SearchRequestException("query.image", "the image is not valid base64");
            }
            _limits.CheckImageSize(bytes.Length, "query.image");
            return ("image", ImageFeatures(active, bytes, "query.image"), null);
        }
        var modality = query.Modality ?? throw new SearchRequestException("query.modality", "query.modality (image or text) is required with itemId or features");
        if (!Modalities.Contains(modality))
        {
            throw new SearchRequestException("query.modality", $"query.modality must be image or text (got {modality})");
        }
        if (query.Features is not null)
        {
            if (space.Problem(modality, query.Features) is { } problem)
            {
                throw new SearchRequestException("query.features", problem);
            }
            return (modality, query.Features, null);
        }
        var item = await items.GetAsync(query.ItemId!, cancellationToken)
            ?? throw new SearchRequestException("query.itemId", $"no item {query.ItemId}", 404);
        return (modality, await ItemFeaturesAsync(space, item, modality, cancellationToken), item.Id);
    }

    // The stored item's base features by the encoder's own rules (ItemVectorizer): stored features that fit, else the backbone's.
    private async Task<float[]> ItemFeaturesAsync(FeatureSpace space, ItemRecord item, string modality, CancellationToken cancellationToken)
    {
        var features = await vectorizer.ResolveAsync([item], space, compute: true, cancellationToken, modality);
        if (features.Failed.TryGetValue(item.Id, out var reason))
        {
            throw new SearchRequestException("query.itemId", $"item {item.Id} cannot be encoded by the model that serves this index: {reason}",
                StatusCodes.Status422UnprocessableEntity);
        }
        return features.Of(item.Id).FirstOrDefault()?.Features
            ?? throw new SearchRequestException("query.modality", $"item {item.Id} has no {modality} this model can encode");
    }

    private float[] TextFeatures(ServedModel active, string text, string field)
    {
        var space = active.Model.Manifest.FeatureSpace.TextFeatures;
        if (!BackboneSet.CanExtract("text", space))
        {
            throw new SearchRequestException(field, $"this model was trained on {space} text features, which cannot be computed from text here; send query.features");
        }
        return backbones.EmbedTexts([text]).Values;
    }

    private float[] ImageFeatures(ServedModel active, byte[] bytes, string field)
    {
        var space = active.Model.Manifest.FeatureSpace.ImageFeatures;
        if (!BackboneSet.CanExtract("image", space))
        {
            throw new SearchRequestException(field, $"this model was trained on {space} image features, which cannot be computed from an image here; send query.features");
        }
        try
        {
            return backbones.EmbedImage(bytes);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
        {
            throw new SearchRequestException(field, ex.Message);
        }
    }
}
