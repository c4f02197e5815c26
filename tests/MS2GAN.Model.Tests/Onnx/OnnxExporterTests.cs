using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MS2GAN.Model.Export;
using Onnx;

namespace MS2GAN.Model.Tests.Onnx;

public sealed class OnnxExporterTests
{
    [Fact]
    public void Exported_file_loads_with_the_expected_inputs_outputs_and_metadata()
    {
        using var folder = new TempFolder();
        var path = folder.File("image.onnx");
        var spec = RandomEncoders.Create(seed: 1, Activation.Relu, inputDim: 128, specificDim: 64, sharedDim: 32);

        OnnxExporter.Export(spec, path);
        using var session = new InferenceSession(path);

        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("features", input.Key);
        Assert.Equal(TensorElementType.Float, input.Value.ElementDataType);
        Assert.Equal([-1, 128], input.Value.Dimensions);
        Assert.Equal(["batch", ""], input.Value.SymbolicDimensions);
        Assert.Equal(["specific", "shared"], session.OutputMetadata.Keys);
        Assert.Equal([-1, 64], session.OutputMetadata["specific"].Dimensions);
        Assert.Equal([-1, 32], session.OutputMetadata["shared"].Dimensions);
        var metadata = session.ModelMetadata;
        Assert.Equal("MS2GAN.Pipeline", metadata.ProducerName);
        Assert.Equal("image", metadata.CustomMetadataMap["modality"]);
        Assert.Equal("128", metadata.CustomMetadataMap["input_dim"]);
        Assert.Equal("64", metadata.CustomMetadataMap["specific_dim"]);
        Assert.Equal("32", metadata.CustomMetadataMap["shared_dim"]);
    }

    [Fact]
    public void Model_declares_ir_8_opset_17_and_names_weights_after_their_layers()
    {
        var model = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(RandomEncoders.Create(seed: 2, Activation.Tanh)));

        Assert.Equal(8, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal(("", 17L), (opset.Domain, opset.Version));
        var names = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        Assert.Superset(
            new HashSet<string>
            {
                "image.input.mean", "image.input.scale",
                "image.specific.0.weight", "image.specific.0.bias", "image.specific.1.weight", "image.specific.1.bias",
                "common.0.weight", "common.0.bias", "common.1.weight", "common.1.bias",
            },
            names);
        var weight = model.Graph.Initializer.Single(t => t.Name == "image.specific.0.weight");
        Assert.Equal([32L, 24L], weight.Dims);
        Assert.All(model.Graph.Node.Where(n => n.OpType == "Gemm"), n => Assert.Contains(n.Attribute, a => a.Name == "transB" && a.I == 1));
    }

    [Fact]
    public void Exporting_over_an_existing_model_replaces_it_and_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("nested/text.onnx");
        var first = RandomEncoders.Create(seed: 3, Activation.Relu, modality: "text", inputDim: 10);
        var second = RandomEncoders.Create(seed: 4, Activation.Sigmoid, modality: "text", inputDim: 12);

        OnnxExporter.Export(first, path);
        OnnxExporter.Export(second, path);

        Assert.Equal(OnnxExporter.ToBytes(second), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
        using var encoder = Encoders.FromFile(path);
        Assert.Equal(12, encoder.InputDim);
    }

    [Fact]
    public void A_failed_export_leaves_the_previous_model_in_place()
    {
        using var folder = new TempFolder();
        var path = folder.File("image.onnx");
        var good = RandomEncoders.Create(seed: 5, Activation.Relu);
        OnnxExporter.Export(good, path);
        var broken = good with { Scale = new float[good.InputDim - 1] };

        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(broken, path));

        Assert.Equal(OnnxExporter.ToBytes(good), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Layers_that_do_not_chain_are_refused_naming_the_layer()
    {
        var spec = RandomEncoders.Create(seed: 6, Activation.Relu);
        var common = spec.Common[0];
        var broken = spec with { Common = [common with { InFeatures = common.InFeatures + 1 }, spec.Common[1]] };

        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(broken));

        Assert.Contains("common.0", error.Message);
    }
    [Fact]
    public void A_shared_input_stack_that_does_not_reach_the_common_stack_is_refused_naming_it()
    {
        var spec = RandomEncoders.Create(seed: 7, Activation.Relu);
        // The common stack reads SpecificDim (16) values; this shared input stack ends at 15.
        var shortStack = spec with { SharedInput = [spec.Specific[0], spec.Specific[1] with { OutFeatures = 15, Weight = new float[15 * 32], Bias = new float[15] }] };
        var unchained = spec with { SharedInput = [spec.Specific[1]] };

        Assert.Contains("common.0", Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(shortStack)).Message);
        Assert.Contains("shared_input.0", Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(unchained)).Message);
    }
}
