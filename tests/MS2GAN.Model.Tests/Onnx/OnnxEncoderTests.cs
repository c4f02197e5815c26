using Google.Protobuf;
using MS2GAN.Features.Data;
using MS2GAN.Model.Export;
using MS2GAN.Model.Inference;

namespace MS2GAN.Model.Tests.Onnx;

public sealed class OnnxEncoderTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(Activation.None)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    public void Onnx_runtime_matches_the_reference_for_each_activation(Activation activation)
    {
        var spec = RandomEncoders.Create(seed: 11 + (int)activation, activation);
        var features = RandomEncoders.Features(seed: 5, rows: 64, spec.InputDim);
        using var encoder = Encoders.FromSpec(spec);

        var actual = encoder.Encode(features);
        var (specific, shared) = EncoderReference.Forward(spec, features);

        Assert.InRange(Encoders.MaxAbsDiff(specific, actual.Specific), 0, Tolerance);
        Assert.InRange(Encoders.MaxAbsDiff(shared, actual.Shared), 0, Tolerance);
    }

    [Fact]
    public void Leaky_relu_uses_the_slope_of_the_spec()
    {
        // ONNX's LeakyRelu defaults alpha to 0.01: were the attribute dropped, the steep encoder would
        // behave like the gentle one, which differs from it in nothing but the slope.
        var steep = RandomEncoders.Create(seed: 3, Activation.LeakyRelu, leakySlope: 0.5f);
        var gentle = RandomEncoders.Create(seed: 3, Activation.LeakyRelu, leakySlope: 0.01f);
        var features = RandomEncoders.Features(seed: 4, rows: 32, steep.InputDim);
        using var steepEncoder = Encoders.FromSpec(steep);
        using var gentleEncoder = Encoders.FromSpec(gentle);

        var steepOut = steepEncoder.Encode(features);

        Assert.InRange(Encoders.MaxAbsDiff(EncoderReference.Forward(steep, features).Specific, steepOut.Specific), 0, Tolerance);
        Assert.True(Encoders.MaxAbsDiff(gentleEncoder.Encode(features).Specific, steepOut.Specific) > 1e-3);
    }

    [Fact]
    public void Both_outputs_have_unit_norm_rows()
    {
        var spec = RandomEncoders.Create(seed: 21, Activation.Relu, linearOutputs: true);
        var features = RandomEncoders.Features(seed: 22, rows: 100, spec.InputDim);
        using var encoder = Encoders.FromSpec(spec);

        var encoded = encoder.Encode(features);

        for (var row = 0; row < features.Rows; row++)
        {
            Assert.InRange(Encoders.RowNorm(encoded.Specific, row), 1 - 1e-5, 1 + 1e-5);
            Assert.InRange(Encoders.RowNorm(encoded.Shared, row), 1 - 1e-5, 1 + 1e-5);
        }
    }

    [Fact]
    public void An_all_zero_row_stays_zero_instead_of_becoming_nan()
    {
        // Every weight and bias zero: S and C are exactly zero, so the epsilon floor is all that avoids 0/0.
        var random = RandomEncoders.Create(seed: 1, Activation.None);
        static DenseLayer Zero(DenseLayer l) => l with { Weight = new float[l.Weight.Length], Bias = new float[l.Bias.Length] };
        var spec = random with { Specific = [.. random.Specific.Select(Zero)], Common = [.. random.Common.Select(Zero)] };
        using var encoder = Encoders.FromSpec(spec);

        var encoded = encoder.Encode(RandomEncoders.Features(seed: 2, rows: 3, spec.InputDim));

        Assert.All(encoded.Specific.Values, v => Assert.Equal(0f, v));
        Assert.All(encoded.Shared.Values, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_single_row_is_encoded()
    {
        var spec = RandomEncoders.Create(seed: 31, Activation.Tanh);
        var features = RandomEncoders.Features(seed: 32, rows: 1, spec.InputDim);
        using var encoder = Encoders.FromSpec(spec);

        var encoded = encoder.Encode(features);

        Assert.Equal((1, spec.SpecificDim), (encoded.Specific.Rows, encoded.Specific.Columns));
        Assert.Equal((1, spec.SharedDim), (encoded.Shared.Rows, encoded.Shared.Columns));
        Assert.InRange(Encoders.MaxAbsDiff(EncoderReference.Forward(spec, features).Shared, encoded.Shared), 0, Tolerance);
    }

    [Fact]
    public void A_thousand_rows_split_over_several_runs_match_one_run_and_the_reference()
    {
        var spec = RandomEncoders.Create(seed: 41, Activation.LeakyRelu);
        var features = RandomEncoders.Features(seed: 42, rows: 1000, spec.InputDim);
        using var whole = Encoders.FromSpec(spec);
        // 300 does not divide 1000: the last run is a partial one.
        using var chunked = Encoders.FromSpec(spec, maxRowsPerRun: 300);

        var once = whole.Encode(features);
        var inChunks = chunked.Encode(features);
        var (specific, shared) = EncoderReference.Forward(spec, features);

        Assert.Equal(once.Specific.Values, inChunks.Specific.Values);
        Assert.Equal(once.Shared.Values, inChunks.Shared.Values);
        Assert.InRange(Encoders.MaxAbsDiff(specific, inChunks.Specific), 0, Tolerance);
        Assert.InRange(Encoders.MaxAbsDiff(shared, inChunks.Shared), 0, Tolerance);
    }

    [Fact]
    public void An_empty_batch_gives_empty_matrices_of_the_output_widths()
    {
        var spec = RandomEncoders.Create(seed: 51, Activation.Sigmoid);
        using var encoder = Encoders.FromSpec(spec);

        var encoded = encoder.Encode(new FeatureMatrix([], 0, spec.InputDim));

        Assert.Equal((0, spec.SpecificDim, 0), (encoded.Specific.Rows, encoded.Specific.Columns, encoded.Specific.Values.Length));
        Assert.Equal((0, spec.SharedDim, 0), (encoded.Shared.Rows, encoded.Shared.Columns, encoded.Shared.Values.Length));
    }

    [Fact]
    public void Features_of_the_wrong_width_are_refused_with_both_widths_and_the_modality()
    {
        var spec = RandomEncoders.Create(seed: 61, Activation.Relu, modality: "image", inputDim: 128);
        using var encoder = Encoders.FromSpec(spec);

        var error = Assert.Throws<ArgumentException>(() => encoder.Encode(RandomEncoders.Features(seed: 62, rows: 2, columns: 100)));

        Assert.StartsWith("image features have 100 dimensions but this model's image encoder expects 128", error.Message);
        Assert.Equal("features", error.ParamName);
    }

    [Fact]
    public void Metadata_gives_modality_and_dimensions_of_the_loaded_model()
    {
        var spec = RandomEncoders.Create(seed: 71, Activation.Relu, modality: "text", inputDim: 10, specificDim: 6, sharedDim: 4);
        using var encoder = Encoders.FromSpec(spec);

        Assert.Equal(("text", 10, 6, 4), (encoder.Modality, encoder.InputDim, encoder.SpecificDim, encoder.SharedDim));
        Assert.Equal("CPUExecutionProvider", encoder.Provider);
    }

    [Fact]
    public async Task Concurrent_calls_give_the_same_results_as_sequential_ones()
    {
        var spec = RandomEncoders.Create(seed: 81, Activation.Tanh);
        using var encoder = Encoders.FromSpec(spec, maxRowsPerRun: 16);
        var inputs = Enumerable.Range(0, 8).Select(i => RandomEncoders.Features(seed: 100 + i, rows: 50, spec.InputDim)).ToArray();
        var sequential = inputs.Select(encoder.Encode).ToArray();

        var concurrent = await Task.WhenAll(inputs.Select(input => Task.Run(() => encoder.Encode(input))));

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(sequential[i].Specific.Values, concurrent[i].Specific.Values);
            Assert.Equal(sequential[i].Shared.Values, concurrent[i].Shared.Values);
        }
    }

    [Fact]
    public void A_model_without_encoder_metadata_is_refused()
    {
        var model = OnnxExporter.Build(RandomEncoders.Create(seed: 91, Activation.Relu));
        model.MetadataProps.Clear();
        var session = Encoders.Cpu.Create(model.ToByteArray(), "broken.onnx");

        var error = Assert.Throws<DataFormatException>(() => new OnnxEncoder(session));

        Assert.Contains("'modality'", error.Message);
    }

    [Fact]
    public void Metadata_that_disagrees_with_the_graph_is_refused()
    {
        var model = OnnxExporter.Build(RandomEncoders.Create(seed: 92, Activation.Relu, inputDim: 24));
        model.MetadataProps.Single(p => p.Key == OnnxExporter.InputDimKey).Value = "25";
        var session = Encoders.Cpu.Create(model.ToByteArray(), "broken.onnx");

        var error = Assert.Throws<DataFormatException>(() => new OnnxEncoder(session));

        Assert.Contains("'features'", error.Message);
    }

    [Fact]
    public void Encoding_after_dispose_throws()
    {
        var spec = RandomEncoders.Create(seed: 93, Activation.Relu);
        var encoder = Encoders.FromSpec(spec);
        encoder.Dispose();
        encoder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(RandomEncoders.Features(seed: 1, rows: 1, spec.InputDim)));
    }
}
