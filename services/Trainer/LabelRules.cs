namespace MS2GAN.Trainer;

/// <summary>
/// The one rule for whether labelled items can train a model (at least two classes, at least Lifecycle:MinLabelledItems
/// items), used at the admin API's door (from the store's label counts) and by the trainer (from the items it read).
/// </summary>
public static class LabelRules
{
    /// <summary>How the items are named in messages: "labelled items", or "items labelled a, b" with a label filter.</summary>
    public static string Which(IEnumerable<string>? filter) => filter?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } labels
        ? $"items labelled {string.Join(", ", labels)}"
        : "labelled items";

    /// <summary>Why <paramref name="count"/> items in <paramref name="classes"/> cannot train a model; null when they can.</summary>
    /// <param name="count">The labelled items that would train.</param>
    /// <param name="classes">Their classes.</param>
    /// <param name="which">How they are named (<see cref="Which"/>).</param>
    /// <param name="qualifier">What the count counts, after <paramref name="which"/> (" with image and text features ..."), or "".</param>
    /// <param name="options">Lifecycle:MinLabelledItems.</param>
    public static string? Problem(long count, IReadOnlyList<string> classes, string which, string qualifier, LifecycleOptions options)
    {
        if (classes.Count == 1)
        {
            return $"the {which} hold a single class ({classes[0]}); at least two classes are needed to train and to compare models";
        }
        return count < options.MinLabelledItems
            ? $"too few labelled items: {count} {which}{qualifier}, at least {options.MinLabelledItems} needed (Lifecycle:MinLabelledItems)"
            : null;
    }
}
