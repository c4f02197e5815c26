using MS2GAN.Features.Data;
using MS2GAN.Model.Artifacts;
using MS2GAN.Pipeline;
using MS2GAN.Storage.Items;

namespace MS2GAN.Trainer;

/// <summary>
/// The training data of a retrain: every labelled item of the item store (not failed) with both image and text
/// features cached in the active model's feature space. An item's class is its first label (or, with a label
/// filter, its first label in the filter). A stable share of the items, chosen by a hash of the id, is held out
/// for the quality gate and becomes the gate dataset's test split: the candidate never trains on it. Once the candidate
/// has passed, it may be refit on every item (<see cref="RetrainData.All"/>).
/// </summary>
public static class TrainingDataLoader
{
    private const int PageSize = 1000;

    /// <summary>Reads the items and splits them; refuses with the reason when they cannot train a model.</summary>
    /// <exception cref="LifecycleRejection">Too few items, a single class, or a holdout too small to compare models on.</exception>
    public static async Task<RetrainData> LoadAsync(IItemStore items, FeatureSpace space, IReadOnlyCollection<string>? labelFilter,
        LifecycleOptions options, CancellationToken cancellationToken)
    {
        var filter = labelFilter is { Count: > 0 } ? labelFilter.ToHashSet(StringComparer.Ordinal) : null;
        var train = new List<(float[] Image, float[] Text, string Label)>();
        var holdout = new List<(float[] Image, float[] Text, string Label)>();
        string? after = null;
        while (true)
        {
            var page = await items.ListAsync(null, after, PageSize, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }
            after = page[^1].Id;
            foreach (var item in page)
            {
                var label = filter is null ? item.Labels.FirstOrDefault() : item.Labels.FirstOrDefault(filter.Contains);
                if (item.State == ItemState.Failed || label is null
                    || StoredFeatures.Of(item, "image", space).Features is not { } image
                    || StoredFeatures.Of(item, "text", space).Features is not { } text)
                {
                    continue;
                }
                (IsHeldOut(item.Id, options.HoldoutFraction) ? holdout : train).Add((image, text, label));
            }
        }

        var count = train.Count + holdout.Count;
        var classes = train.Concat(holdout).Select(row => row.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        if (LabelRules.Problem(count, classes, LabelRules.Which(filter), " with image and text features in the model's feature space", options) is { } problem)
        {
            throw new LifecycleRejection(problem, "labels");
        }
        var holdoutClasses = holdout.Select(row => row.Label).Distinct().Count();
        if (holdout.Count < 10 || holdoutClasses < 2 || train.Select(row => row.Label).Distinct().Count() < 2)
        {
            throw new LifecycleRejection(
                $"too few labelled items to hold some out for the quality gate: {holdout.Count} held out in {holdoutClasses} classes " +
                $"(at least 10 items in 2 classes needed; add labelled items or raise Lifecycle:HoldoutFraction)");
        }
        var index = classes.Select((name, i) => (name, i)).ToDictionary(pair => pair.name, pair => pair.i, StringComparer.Ordinal);
        var info = new DatasetInfo("item-store", space.ImageFeatures, space.TextFeatures, classes);
        var gate = new FeatureDataset("item-store", Split(train, space, index), Split(holdout, space, index), classes.Count, info);
        // Every item as training items, built only when a candidate passed and is refit.
        var all = new Lazy<FeatureDataset>(() =>
            new FeatureDataset("item-store", Split([.. train, .. holdout], space, index), Split([], space, index), classes.Count, info));
        return new RetrainData(gate, all);
    }

    /// <summary>Whether an item is in the holdout: a hash of its id, so the same item is always on the same side.</summary>
    public static bool IsHeldOut(string id, double fraction)
    {
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash % 10_000 < fraction * 10_000;
    }

    private static FeatureSplit Split(List<(float[] Image, float[] Text, string Label)> rows, FeatureSpace space, Dictionary<string, int> classes) => new(
        FeatureMatrix.FromRows(rows.Select(r => r.Image).ToList(), space.ImageDim),
        FeatureMatrix.FromRows(rows.Select(r => r.Text).ToList(), space.TextDim),
        [.. rows.Select(r => classes[r.Label])]);
}
