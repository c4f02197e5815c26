using MS2GAN.Storage;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Model.Artifacts;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.Pipeline;

/// <summary>
/// The one path from items to vectors, shared by the encoder, the reindexer and search: which base features an item
/// has for a model (<see cref="StoredFeatures"/>), the backbones for those it lacks, the width and value checks, one
/// encoder run per modality over the whole set, and the <see cref="VectorRecord"/>s. An item that cannot be encoded is
/// reported with the reason and never holds up the others.
/// </summary>
public sealed class ItemVectorizer(IMediaStore media, BackboneSet backbones)
{
    /// <summary>
    /// The base features of <paramref name="items"/> in <paramref name="space"/>: the stored ones where they fit, else, when
    /// <paramref name="compute"/> is set and the space is a built-in backbone's, the backbone's features of the item's image
    /// (read from the media store) or text. Stored features that do not fit, and media the backbone cannot read, make the
    /// item fail with the reason. <paramref name="modality"/> limits the work to one modality.
    /// </summary>
    public async Task<ItemFeatures> ResolveAsync(IReadOnlyCollection<ItemRecord> items, FeatureSpace space, bool compute,
        CancellationToken cancellationToken, string? modality = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(space);
        var rows = new List<FeatureRow>();
        var failed = new Dictionary<string, string>();
        var textsToEmbed = new List<ItemRecord>();
        var imagesToEmbed = new List<(ItemRecord Item, ReadOnlyMemory<byte> Bytes)>();
        foreach (var item in items)
        {
            try
            {
                if (modality is null or "image")
                {
                    var (stored, problem) = StoredFeatures.Of(item, "image", space);
                    if (problem is not null)
                    {
                        throw new InvalidDataException(problem);
                    }
                    if (stored is not null)
                    {
                        rows.Add(new FeatureRow(item, "image", stored, Computed: false));
                    }
                    else if (compute && item.ImageMediaRef is not null && BackboneSet.CanExtract("image", space.ImageFeatures))
                    {
                        imagesToEmbed.Add((item, await ReadMediaAsync(item, cancellationToken)));
                    }
                }
                if (modality is null or "text")
                {
                    var (text, problem) = StoredFeatures.Of(item, "text", space);
                    if (problem is not null)
                    {
                        throw new InvalidDataException(problem);
                    }
                    if (text is not null)
                    {
                        rows.Add(new FeatureRow(item, "text", text, Computed: false));
                    }
                    else if (compute && item.Text is not null && BackboneSet.CanExtract("text", space.TextFeatures))
                    {
                        textsToEmbed.Add(item);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed[item.Id] = ex.Message;
            }
        }
        if (imagesToEmbed.Count > 0)
        {
            // One batched backbone run for every image of the set; an image that cannot be used fails its item alone.
            var embedded = backbones.EmbedImages([.. imagesToEmbed.Select(image => image.Bytes)], cancellationToken);
            for (var i = 0; i < imagesToEmbed.Count; i++)
            {
                if (embedded[i].Succeeded)
                {
                    rows.Add(new FeatureRow(imagesToEmbed[i].Item, "image", embedded[i].Features!, Computed: true));
                }
                else
                {
                    failed[imagesToEmbed[i].Item.Id] = embedded[i].Error!;
                }
            }
        }
        if (textsToEmbed.Count > 0)
        {
            var embedded = backbones.EmbedTexts(textsToEmbed.Select(item => item.Text!).ToList());
            for (var i = 0; i < textsToEmbed.Count; i++)
            {
                rows.Add(new FeatureRow(textsToEmbed[i], "text", embedded.Row(i).ToArray(), Computed: true));
            }
        }
        rows.RemoveAll(row => failed.ContainsKey(row.Item.Id));
        return new ItemFeatures(space, rows, failed);
    }

    /// <summary>
    /// Encodes the resolved features with <paramref name="model"/> (one run per modality) into vector records carrying the
    /// items' labels and metadata. Features that do not fit the model's space make their item fail, as do the failures
    /// already in <paramref name="features"/>.
    /// </summary>
    public EncodedItems Encode(ServedModel model, ItemFeatures features)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        var space = model.Model.Manifest.FeatureSpace;
        var failed = new Dictionary<string, string>(features.Failed);
        foreach (var row in features.Rows)
        {
            if (space.Problem(row.Modality, row.Features) is { } problem)
            {
                failed.TryAdd(row.Item.Id, problem);
            }
        }
        var runs = new List<(string Modality, List<FeatureRow> Rows, EncodedBatch Encoded)>();
        foreach (var modality in new[] { "image", "text" })
        {
            var rows = features.Rows.Where(row => row.Modality == modality && !failed.ContainsKey(row.Item.Id)).ToList();
            if (rows.Count > 0)
            {
                runs.Add((modality, rows, model.Model.Encode(modality, FeatureMatrix.FromRows(rows.Select(row => row.Features).ToList(), space.Of(modality).Dim))));
            }
        }
        var autoLabels = AutoLabels(model, runs);
        var records = new List<VectorRecord>(features.Rows.Count);
        var modalities = new Dictionary<string, List<string>>();
        foreach (var (modality, rows, encoded) in runs)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var item = rows[i].Item;
                records.Add(new VectorRecord(
                    item.Id, modality, encoded.Specific.Row(i).ToArray(), encoded.Shared.Row(i).ToArray(), item.Labels, item.Metadata,
                    autoLabels.GetValueOrDefault(item.Id)));
                if (!modalities.TryGetValue(item.Id, out var list))
                {
                    modalities[item.Id] = list = [];
                }
                list.Add(modality);
            }
        }
        return new EncodedItems(records, modalities.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value), failed, autoLabels);
    }

    /// <summary>
    /// The auto-labels of the encoded items that carry no labels: the model's prediction from the class probabilities of
    /// every modality encoded (<see cref="LabelPrediction.Of"/>); none when the model has no label head.
    /// </summary>
    private static Dictionary<string, AutoLabel> AutoLabels(ServedModel model, List<(string Modality, List<FeatureRow> Rows, EncodedBatch Encoded)> runs)
    {
        var result = new Dictionary<string, AutoLabel>(StringComparer.Ordinal);
        if (!model.Model.PredictsLabels)
        {
            return result;
        }
        var byItem = new Dictionary<string, (int Image, int Text)>(StringComparer.Ordinal);
        foreach (var (modality, rows, _) in runs)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                if (rows[i].Item.Labels.Count > 0)
                {
                    continue;
                }
                (int Image, int Text) found = byItem.GetValueOrDefault(rows[i].Item.Id, (-1, -1));
                byItem[rows[i].Item.Id] = modality == "image" ? (i, found.Text) : (found.Image, i);
            }
        }
        var image = runs.FirstOrDefault(run => run.Modality == "image").Encoded?.Probabilities;
        var text = runs.FirstOrDefault(run => run.Modality == "text").Encoded?.Probabilities;
        foreach (var (id, (imageRow, textRow)) in byItem)
        {
            var prediction = LabelPrediction.Of(
                imageRow < 0 ? [] : image!.Row(imageRow), textRow < 0 ? [] : text!.Row(textRow), model.Model.Manifest.ClassNames);
            result[id] = new AutoLabel(prediction.Label, prediction.Confidence);
        }
        return result;
    }

    private async Task<ReadOnlyMemory<byte>> ReadMediaAsync(ItemRecord item, CancellationToken cancellationToken)
    {
        await using var stream = await media.OpenReadAsync(item.ImageMediaRef!, cancellationToken)
            ?? throw new InvalidDataException($"the item's image ({item.ImageMediaRef}) is missing from the media store");
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
