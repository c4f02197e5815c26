using MS2GAN.Features.Data;
using MS2GAN.Model.Training;

namespace MS2GAN.Model.Tests.Training;

public sealed class FeatureNormalizerTests
{
    [Fact]
    public void Standardises_each_dimension_with_training_statistics()
    {
        // column 0: 10, 20, 30 -> mean 20, population std sqrt(200/3); column 1: 0.1, 0.1, 0.4 -> mean 0.2, std sqrt(0.06/3)
        var train = new FeatureMatrix([10, 0.1f, 20, 0.1f, 30, 0.4f], 3, 2);
        var normalizer = FeatureNormalizer.Fit(train);
        Assert.Equal(20, normalizer.Mean[0], 1e-4);
        Assert.Equal(0.2, normalizer.Mean[1], 1e-6);
        Assert.Equal(1 / Math.Sqrt(200.0 / 3), normalizer.Scale[0], 1e-6);
        Assert.Equal(1 / Math.Sqrt(0.02), normalizer.Scale[1], 1e-3);
        var applied = normalizer.Apply(new FeatureMatrix([30, 0.2f], 1, 2));
        Assert.Equal(10 / Math.Sqrt(200.0 / 3), applied.Values[0], 1e-5);
        Assert.Equal(0, applied.Values[1], 1e-5);
    }

    [Fact]
    public void A_constant_dimension_cannot_blow_up_at_inference()
    {
        var train = new FeatureMatrix([1, 5, 2, 5, 3, 5], 3, 2);
        var normalizer = FeatureNormalizer.Fit(train);
        var applied = normalizer.Apply(new FeatureMatrix([2, 6], 1, 2));
        Assert.True(Math.Abs(applied.Values[1]) <= 200, $"a shift of 1 in a constant column became {applied.Values[1]}");
    }

    [Fact]
    public void None_leaves_features_as_they_are()
    {
        var train = new FeatureMatrix([1, 5, 2, 7], 2, 2);
        Assert.Equal(train.Values, FeatureNormalizer.Fit(train, "none").Apply(train).Values);
    }

    [Fact]
    public void Auto_takes_the_square_root_of_features_without_negative_values_only()
    {
        var histogram = new FeatureMatrix([0, 4, 9, 16, 1, 0], 3, 2);
        var signed = new FeatureMatrix([-1, 4, 9, 16, 1, 0], 3, 2);

        var power = FeatureNormalizer.Fit(histogram, "auto");

        Assert.Equal(0.5, power.Power);
        Assert.Equal(1.0, FeatureNormalizer.Fit(signed, "auto").Power);
        // column 0: sqrt(0, 9, 1) = 0, 3, 1 -> mean 4/3
        Assert.Equal(4.0 / 3, power.Mean[0], 1e-5);
        Assert.Equal((2 - 4.0 / 3) * power.Scale[0], power.Apply(new FeatureMatrix([4, 0], 1, 2)).Values[0], 1e-5);
    }

    [Fact]
    public void The_signed_square_root_keeps_the_sign()
    {
        Assert.Equal(-3f, FeatureNormalizer.Transform(-9, 0.5));
        Assert.Equal(3f, FeatureNormalizer.Transform(9, 0.5));
        Assert.Equal(-9f, FeatureNormalizer.Transform(-9, 1));
    }
}
