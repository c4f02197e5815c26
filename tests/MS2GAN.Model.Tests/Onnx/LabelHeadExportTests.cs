using Microsoft.ML.OnnxRuntime;
using MS2GAN.Features.Data;
using MS2GAN.Model.Export;

namespace MS2GAN.Model.Tests.Onnx;

/// <summary>The class-probability output of an encoder exported with its label head, and the signed square root input.</summary>
public sealed class LabelHeadExportTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    public void The_probability_output_matches_the_reference(Activation activation)
    {
        var spec = RandomEncoders.Create(seed: 31 + (int)activation, activation, linearOutputs: true, classes: 5);
        var features = RandomEncoders.Features(seed: 32, rows: 50, spec.InputDim);
        using var encoder = Encoders.FromSpec(spec);

        var encoded = encoder.Encode(features);

        Assert.Equal(5, encoder.ClassCount);
        Assert.NotNull(encoded.Probabilities);
        Assert.InRange(Encoders.MaxAbsDiff(EncoderReference.Probabilities(spec, features), encoded.Probabilities), 0, Tolerance);
        // The other outputs are those of the same encoder without a label head.
        using var plain = Encoders.FromSpec(spec with { Labels = null });
        Assert.InRange(Encoders.MaxAbsDiff(plain.Encode(features).Shared, encoded.Shared), 0, Tolerance);
    }

    [Fact]
    public void Probability_rows_are_distributions_over_the_classes()
    {
        var spec = RandomEncoders.Create(seed: 41, Activation.Relu, linearOutputs: true, classes: 7);
        using var encoder = Encoders.FromSpec(spec);

        var probabilities = encoder.Encode(RandomEncoders.Features(seed: 42, rows: 30, spec.InputDim)).Probabilities!;

        Assert.Equal(7, probabilities.Columns);
        for (var row = 0; row < probabilities.Rows; row++)
        {
            Assert.All(probabilities.Row(row).ToArray(), p => Assert.InRange(p, 0f, 1f));
            Assert.InRange(probabilities.Row(row).ToArray().Sum(), 1 - 1e-5, 1 + 1e-5);
        }
    }

    [Fact]
    public void An_encoder_without_a_label_head_has_no_probability_output()
    {
        var spec = RandomEncoders.Create(seed: 43, Activation.Relu);
        using var session = new InferenceSession(OnnxExporter.ToBytes(spec));
        using var encoder = Encoders.FromSpec(spec);

        Assert.DoesNotContain(OnnxExporter.ProbabilitiesOutputName, session.OutputMetadata.Keys);
        Assert.Equal(0, encoder.ClassCount);
        Assert.Null(encoder.Encode(RandomEncoders.Features(seed: 44, rows: 3, spec.InputDim)).Probabilities);
    }

    [Fact]
    public void A_label_head_of_the_wrong_width_is_refused_before_export()
    {
        var spec = RandomEncoders.Create(seed: 45, Activation.Relu, classes: 3);
        var wrong = spec with { Labels = spec.Labels! with { Shared = spec.Labels.Specific } };   // takes S's width, not C's

        var ex = Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(wrong));
        Assert.Contains("labels.shared", ex.Message);
    }

    [Fact]
    public void The_signed_square_root_input_matches_the_reference_and_differs_from_none()
    {
        var spec = RandomEncoders.Create(seed: 46, Activation.Relu, linearOutputs: true, classes: 4, inputPower: 0.5);
        // Signed values around 0.5 with spread 1: both signs go through the root.
        var features = RandomEncoders.Features(seed: 47, rows: 40, spec.InputDim);
        using var encoder = Encoders.FromSpec(spec);
        using var linear = Encoders.FromSpec(spec with { InputPower = 1 });

        var encoded = encoder.Encode(features);
        var (specific, shared) = EncoderReference.Forward(spec, features);

        Assert.InRange(Encoders.MaxAbsDiff(specific, encoded.Specific), 0, Tolerance);
        Assert.InRange(Encoders.MaxAbsDiff(shared, encoded.Shared), 0, Tolerance);
        Assert.InRange(Encoders.MaxAbsDiff(EncoderReference.Probabilities(spec, features), encoded.Probabilities!), 0, Tolerance);
        Assert.True(Encoders.MaxAbsDiff(linear.Encode(features).Specific, encoded.Specific) > 1e-3);
    }

    [Fact]
    public void An_input_power_other_than_one_or_a_half_is_refused()
    {
        var spec = RandomEncoders.Create(seed: 48, Activation.Relu, inputPower: 0.3);

        var ex = Assert.Throws<ArgumentException>(() => EncoderReference.Forward(spec, new FeatureMatrix(new float[spec.InputDim], 1, spec.InputDim)));
        Assert.Contains("input power", ex.Message);
    }
}
