using Microsoft.Extensions.Logging;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Encoder;

/// <summary>
/// Encodes a batch of items: base features from the cache, or from the backbones for raw media (then
/// cached, so a reindex never decodes an image again); the ONNX encoders over the whole batch at once; vectors
/// upserted into the active version's index and, while a reindex builds another version's index, into that one
/// too (the versions are read after the features are cached, which is what lets the reindex miss nothing). An item that fails is marked failed with its
/// reason and never holds up the rest of its batch. Upserts replace by (item, modality), so a redelivered
/// message indexes the item once.
/// </summary>
public sealed class ItemEncoder(
    IItemStore items,
    IMediaStore media,
    IVectorStore vectors,
    ModelCatalog catalog,
    BackboneSet backbones,
    ILogger<ItemEncoder> logger)
{
    private readonly SemaphoreSlim _indexReady = new(1, 1);
    private readonly HashSet<string> _checkedIndexes = [];

    /// <summary>Encodes and indexes the given items.</summary>
    public async Task<EncodeOutcome> EncodeAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        var active = catalog.Active;
        var records = await items.GetManyAsync(ids.Distinct(), cancellationToken);
        var found = records.Select(r => r.Id).ToHashSet();
        var missing = ids.Where(id => !found.Contains(id)).Distinct().ToList();
        var failed = new Dictionary<string, string>();
        var space = active.Model.Manifest.FeatureSpace;

        var imageRows = new List<(ItemRecord Item, float[] Features)>();
        var textRows = new List<(ItemRecord Item, float[] Features)>();
        var textsToEmbed = new List<ItemRecord>();
        foreach (var item in records)
        {
            try
            {
                if (await ImageFeaturesAsync(item, space.ImageFeatures, cancellationToken) is { } image)
                {
                    imageRows.Add((item, image));
                }
                if (CachedFeatures(item.TextFeatures, item.TextFeatureSpace, space.TextFeatures) is { } text)
                {
                    textRows.Add((item, text));
                }
                else if (item.Text is not null && BackboneSet.CanExtract("text", space.TextFeatures))
                {
                    textsToEmbed.Add(item);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed[item.Id] = ex.Message;
            }
        }
        if (textsToEmbed.Count > 0)
        {
            var embedded = backbones.EmbedTexts(textsToEmbed.Select(t => t.Text!).ToList());
            for (var i = 0; i < textsToEmbed.Count; i++)
            {
                textRows.Add((textsToEmbed[i], embedded.Row(i).ToArray()));
            }
        }
        await CacheNewFeaturesAsync(imageRows, textRows, space.ImageFeatures, space.TextFeatures, cancellationToken);

        // Read after the features are cached: a reindex that starts later finds them in the item store.
        var targets = catalog.WriteTargets();
        active = targets[0];
        foreach (var target in targets)
        {
            await EnsureIndexAsync(target, cancellationToken);
        }
        var written = new Dictionary<string, List<string>>();
        var vectorRecords = new List<VectorRecord>();
        Encode(active, "image", imageRows, space.ImageDim, vectorRecords, written, failed);
        Encode(active, "text", textRows, space.TextDim, vectorRecords, written, failed);
        foreach (var item in records.Where(r => !written.ContainsKey(r.Id) && !failed.ContainsKey(r.Id)))
        {
            failed[item.Id] = $"the item has nothing this model can encode (image features: {space.ImageFeatures}, text features: {space.TextFeatures})";
        }
        foreach (var id in failed.Keys)
        {
            written.Remove(id);
        }
        vectorRecords.RemoveAll(r => failed.ContainsKey(r.ItemId));

        if (vectorRecords.Count > 0)
        {
            try
            {
                await vectors.UpsertAsync(active.IndexName, vectorRecords, cancellationToken);
            }
            catch (VectorWriteException ex) when (ex.FailedItems.Count > 0)
            {
                // The store kept the rest and gave up on these after its own retries: they are marked failed with its
                // reason (a re-send retries them), the rest of the batch is indexed.
                foreach (var (id, reason) in ex.FailedItems.Where(pair => written.ContainsKey(pair.Key)))
                {
                    failed[id] = $"the vector store refused it: {reason}";
                    written.Remove(id);
                }
            }
            foreach (var extra in targets.Skip(1))
            {
                await WriteAlsoAsync(extra, imageRows, textRows, written, cancellationToken);
            }
            if (written.Count > 0)
            {
                await items.MarkIndexedAsync(written.Keys.ToList(), active.Version, cancellationToken);
            }
        }
        foreach (var (id, reason) in failed)
        {
            logger.LogWarning("Item {ItemId} could not be indexed: {Reason}", id, reason);
            await items.MarkFailedAsync(id, reason, cancellationToken);
        }
        return new EncodeOutcome(
            written.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value),
            failed,
            missing,
            active.Version,
            active.IndexName);
    }

    // The items written to the active index, encoded with the version a reindex is building and written to its index.
    private async Task WriteAlsoAsync(ServedModel target, List<(ItemRecord Item, float[] Features)> imageRows,
        List<(ItemRecord Item, float[] Features)> textRows, Dictionary<string, List<string>> written, CancellationToken cancellationToken)
    {
        var records = new List<VectorRecord>();
        var ignoredWritten = new Dictionary<string, List<string>>();
        var ignoredFailed = new Dictionary<string, string>();
        var space = target.Model.Manifest.FeatureSpace;
        Encode(target, "image", [.. imageRows.Where(r => written.ContainsKey(r.Item.Id))], space.ImageDim, records, ignoredWritten, ignoredFailed);
        Encode(target, "text", [.. textRows.Where(r => written.ContainsKey(r.Item.Id))], space.TextDim, records, ignoredWritten, ignoredFailed);
        if (records.Count > 0)
        {
            await vectors.UpsertAsync(target.IndexName, records, cancellationToken);
        }
    }

    private static void Encode(ServedModel active, string modality, List<(ItemRecord Item, float[] Features)> rows, int dim,
        List<VectorRecord> output, Dictionary<string, List<string>> written, Dictionary<string, string> failed)
    {
        var usable = new List<(ItemRecord Item, float[] Features)>();
        foreach (var row in rows)
        {
            if (row.Features.Length != dim)
            {
                failed[row.Item.Id] = active.Model.Mismatch(modality, row.Features.Length)!;
            }
            else if (row.Features.Any(v => !float.IsFinite(v)))
            {
                failed[row.Item.Id] = $"{modality} features hold NaN or infinite values";
            }
            else
            {
                usable.Add(row);
            }
        }
        if (usable.Count == 0)
        {
            return;
        }
        var encoded = active.Model.Encode(modality, FeatureMatrix.FromRows(usable.Select(r => r.Features).ToList(), dim));
        for (var i = 0; i < usable.Count; i++)
        {
            var item = usable[i].Item;
            output.Add(new VectorRecord(item.Id, modality, encoded.Specific.Row(i).ToArray(), encoded.Shared.Row(i).ToArray(), item.Labels, item.Metadata));
            if (!written.TryGetValue(item.Id, out var modalities))
            {
                written[item.Id] = modalities = [];
            }
            modalities.Add(modality);
        }
    }

    private async Task<float[]?> ImageFeaturesAsync(ItemRecord item, string space, CancellationToken cancellationToken)
    {
        if (CachedFeatures(item.ImageFeatures, item.ImageFeatureSpace, space) is { } cached)
        {
            return cached;
        }
        if (item.ImageMediaRef is null || !BackboneSet.CanExtract("image", space))
        {
            return null;
        }
        await using var stream = await media.OpenReadAsync(item.ImageMediaRef, cancellationToken)
            ?? throw new InvalidDataException($"the item's image ({item.ImageMediaRef}) is missing from the media store");
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return backbones.EmbedImage(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    // Features given with the item (feature mode) carry no space name or the model's; cached backbone
    // features carry the backbone's name and are reused only for a model of the same space.
    private static float[]? CachedFeatures(float[]? features, string? cachedSpace, string modelSpace) =>
        features is not null && (cachedSpace is null || cachedSpace == modelSpace) ? features : null;

    private async Task CacheNewFeaturesAsync(List<(ItemRecord Item, float[] Features)> images, List<(ItemRecord Item, float[] Features)> texts,
        string imageSpace, string textSpace, CancellationToken cancellationToken)
    {
        var newImages = images.Where(r => r.Item.ImageFeatures is null).ToDictionary(r => r.Item.Id, r => r.Features);
        var newTexts = texts.Where(r => r.Item.TextFeatures is null).ToDictionary(r => r.Item.Id, r => r.Features);
        foreach (var item in images.Select(r => r.Item).Concat(texts.Select(r => r.Item)).DistinctBy(i => i.Id))
        {
            var image = newImages.GetValueOrDefault(item.Id);
            var text = newTexts.GetValueOrDefault(item.Id);
            if (image is not null || text is not null)
            {
                await items.SetCachedFeaturesAsync(item.Id, item.ContentHash, image ?? item.ImageFeatures, image is null ? item.ImageFeatureSpace : imageSpace,
                    text ?? item.TextFeatures, text is null ? item.TextFeatureSpace : textSpace, cancellationToken);
            }
        }
    }

    private async Task EnsureIndexAsync(ServedModel model, CancellationToken cancellationToken)
    {
        lock (_checkedIndexes)
        {
            if (_checkedIndexes.Contains(model.IndexName))
            {
                return;
            }
        }
        await _indexReady.WaitAsync(cancellationToken);
        try
        {
            var manifest = model.Model.Manifest;
            await vectors.CreateIndexAsync(new IndexDefinition(model.IndexName, manifest.SpecificDim, manifest.SharedDim, model.Version), cancellationToken);
            if (await vectors.GetAliasAsync(ModelCatalog.Alias, cancellationToken) is null && model.Version == catalog.Registry.Read().Active)
            {
                await vectors.SetAliasAsync(ModelCatalog.Alias, model.IndexName, cancellationToken);
            }
            lock (_checkedIndexes)
            {
                _checkedIndexes.Add(model.IndexName);
            }
        }
        finally
        {
            _indexReady.Release();
        }
    }
}
