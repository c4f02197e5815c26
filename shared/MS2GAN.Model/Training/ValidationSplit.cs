namespace MS2GAN.Model.Training;

/// <summary>Indices of the training split used for fitting and those held out for validation.</summary>
/// <param name="Fit">Rows the networks learn from.</param>
/// <param name="Validation">Rows used only for model selection and choosing the default weights.</param>
public sealed record ValidationSplit(int[] Fit, int[] Validation)
{
    /// <summary>
    /// Holds out <paramref name="fraction"/> of every class (at least one item of each class with two or more),
    /// chosen by a seeded shuffle, so the same seed always gives the same split.
    /// </summary>
    public static ValidationSplit Stratified(IReadOnlyList<int> labels, double fraction, int seed)
    {
        var random = new Random(seed);
        var fit = new List<int>();
        var validation = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            var held = rows.Length < 2 ? 0 : Math.Clamp((int)Math.Round(rows.Length * fraction), 1, rows.Length - 1);
            validation.AddRange(rows.Take(held));
            fit.AddRange(rows.Skip(held));
        }
        fit.Sort();
        validation.Sort();
        return new ValidationSplit(fit.ToArray(), validation.ToArray());
    }
}
