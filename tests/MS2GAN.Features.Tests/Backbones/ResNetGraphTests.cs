using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using Onnx;
using Xunit.Abstractions;

namespace MS2GAN.Features.Tests.Backbones;

[Collection(BackboneCollection.Name)]
public sealed class ResNetGraphTests(BackboneFixture fixture, ITestOutputHelper output)
{
    private static readonly string Preprocess = Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNetPreprocess);
    private static readonly string Network = Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNet18);

    [Fact]
    public void The_merged_graph_takes_any_batch_size_and_keeps_the_frame_and_feature_sizes()
    {
        var model = ResNetGraph.Build(Preprocess, Network);
        using var session = fixture.Sessions.Create(model.Model, "merged");

        Assert.Equal((224, 224, 512), (model.Height, model.Width, model.Dim));
        Assert.Equal([-1, 3, 224, 224], session.Session.InputMetadata[model.InputName].Dimensions);
        Assert.Equal([-1, 512, 1, 1], session.Session.OutputMetadata[model.OutputName].Dimensions);
        Assert.Equal(ResNetGraph.BatchDim, session.Session.InputMetadata[model.InputName].SymbolicDimensions[0]);
    }

    [Fact]
    public void A_batch_through_the_merged_graph_equals_each_frame_through_the_packages_two_sessions()
    {
        const int images = 5;
        var model = ResNetGraph.Build(Preprocess, Network);
        using var merged = fixture.Sessions.Create(model.Model, "merged");
        using var preprocess = fixture.Sessions.Create(Preprocess);
        using var network = fixture.Sessions.Create(Network);
        const int frame = 3 * 224 * 224;
        var random = new Random(7);
        var pixels = new float[images * frame];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.Next(256);
        }

        var batched = new float[images * 512];
        using (var input = OrtValue.CreateTensorValueFromMemory(pixels, [images, 3, 224, 224]))
        using (var outputs = OrtValue.CreateTensorValueFromMemory(batched, [images, 512, 1, 1]))
        using (var options = new RunOptions())
        {
            merged.Session.Run(options, [model.InputName], [input], [model.OutputName], [outputs]);
        }

        var largest = 0.0;
        for (var i = 0; i < images; i++)
        {
            var single = RunTwoSessions(preprocess, network, pixels.AsMemory(i * frame, frame));
            largest = Math.Max(largest, Vectors.MaxAbsDiff(single, batched.AsSpan(i * 512, 512)));
        }
        output.WriteLine($"largest difference, batch of {images} through the merged graph against batch-1 runs of the two package graphs: {largest:E2}");
        // Measured: 0; the features are ReLU averages of order 1 to 10, so 1e-4 is far below anything that matters.
        Assert.InRange(largest, 0, 1e-4);
    }

    [Fact]
    public void A_graph_with_an_operator_that_may_fix_the_batch_size_is_refused_by_name()
    {
        using var folder = new TempFolder();
        var preprocess = folder.WriteBytes("pre.onnx", TinyModel("Flatten", "flatten_1").ToByteArray());
        var network = folder.WriteBytes("net.onnx", TinyModel("Relu", "relu_1").ToByteArray());

        var error = Assert.Throws<DataFormatException>(() => ResNetGraph.Build(preprocess, network));

        Assert.Equal(preprocess, error.Path);
        Assert.Contains("node 'flatten_1' (Flatten) may depend on the batch size of 1", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_an_onnx_model_is_refused_by_path()
    {
        using var folder = new TempFolder();
        var garbage = folder.WriteBytes("pre.onnx", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);

        var error = Assert.Throws<DataFormatException>(() => ResNetGraph.Build(garbage, Network));

        Assert.Equal(garbage, error.Path);
        Assert.Contains("not an ONNX model", error.Message);
    }

    private static float[] RunTwoSessions(OnnxSession preprocess, OnnxSession network, Memory<float> frame)
    {
        var preprocessed = new float[frame.Length];
        var features = new float[512];
        using var options = new RunOptions();
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, frame, [1, 3, 224, 224]);
        using var middle = OrtValue.CreateTensorValueFromMemory(preprocessed, [1, 3, 224, 224]);
        using var result = OrtValue.CreateTensorValueFromMemory(features, [1, 512, 1, 1]);
        preprocess.Session.Run(options, [preprocess.Session.InputMetadata.Keys.Single()], [input], [preprocess.Session.OutputMetadata.Keys.Single()], [middle]);
        network.Session.Run(options, [network.Session.InputMetadata.Keys.Single()], [middle], [network.Session.OutputMetadata.Keys.Single()], [result]);
        return features;
    }

    /// <summary>A one-node model of the backbone's shapes: [1, 3, 4, 4] in; out [1, 3, 4, 4] (or [1, 8, 1, 1] as a network would be read).</summary>
    private static ModelProto TinyModel(string op, string name)
    {
        static ValueInfoProto Tensor(string name, params long[] dims)
        {
            var shape = new TensorShapeProto();
            shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
            };
        }

        var graph = new GraphProto { Name = "tiny" };
        graph.Input.Add(Tensor("x", 1, 3, 4, 4));
        graph.Output.Add(op == "Flatten" ? Tensor("y", 1, 3, 4, 4) : Tensor("y", 1, 8, 1, 1));
        graph.Node.Add(new NodeProto { Name = name, OpType = op, Input = { "x" }, Output = { "y" } });
        var model = new ModelProto { IrVersion = 3, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 8 });
        return model;
    }
}
