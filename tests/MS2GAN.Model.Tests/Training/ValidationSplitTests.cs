using MS2GAN.Model.Training;

namespace MS2GAN.Model.Tests.Training;

public sealed class ValidationSplitTests
{
    private static readonly int[] Labels = Enumerable.Range(0, 100).Select(i => i % 4).Append(9).ToArray();

    [Fact]
    public void Holds_out_the_fraction_of_every_class_and_nothing_twice()
    {
        var split = ValidationSplit.Stratified(Labels, 0.2, 7);
        Assert.Empty(split.Fit.Intersect(split.Validation));
        Assert.Equal(Labels.Length, split.Fit.Length + split.Validation.Length);
        foreach (var label in new[] { 0, 1, 2, 3 })
        {
            Assert.Equal(5, split.Validation.Count(i => Labels[i] == label));
        }
        // a class with a single item stays in the fitting part
        Assert.Contains(100, split.Fit);
    }

    [Fact]
    public void Same_seed_gives_the_same_split_and_another_seed_another()
    {
        Assert.Equal(ValidationSplit.Stratified(Labels, 0.2, 7).Validation, ValidationSplit.Stratified(Labels, 0.2, 7).Validation);
        Assert.NotEqual(ValidationSplit.Stratified(Labels, 0.2, 7).Validation, ValidationSplit.Stratified(Labels, 0.2, 8).Validation);
    }
}
