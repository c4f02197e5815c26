using Google.Protobuf;
using MS2GAN.Features.Data;
using Onnx;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// Builds, in memory, the one ResNet18 model the backbone runs: the package's <c>ResNetPreprocess.onnx</c>
/// (planar RGB in, BGR minus the mean image out) followed by <c>ResNet18.onnx</c>, with the batch dimension
/// that both files fix at 1 made symbolic. One session instead of two saves a session run and a copy of the
/// preprocessed frame per batch; the files on disk are untouched.
/// </summary>
internal static class ResNetGraph
{
    /// <summary>The symbolic name given to the batch dimension.</summary>
    public const string BatchDim = "batch";

    /// <summary>Operators whose result for one image does not depend on the other images of the batch (in inference).</summary>
    /// <remarks>
    /// Anything else (Reshape, Flatten, Shape, Expand, Tile, Constant shapes, Gemm over the batch...) could hold the
    /// batch size of 1 in an attribute or a constant; the rewrite refuses such a graph rather than guess. The pinned
    /// package (0.23.1) has only these: Split, Concat, Sub in the preprocessing, and Conv, BatchNormalization, Relu,
    /// MaxPool, Add, AveragePool in the network.
    /// </remarks>
    private static readonly HashSet<string> PerImageOperators =
    [
        "Conv", "BatchNormalization", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "Add", "Sub", "Mul", "Split", "Concat",
    ];

    /// <summary>Reads, merges and rewrites the two models.</summary>
    /// <exception cref="FileNotFoundException">A model file is missing.</exception>
    /// <exception cref="DataFormatException">A model is not ONNX, does not have the inputs and outputs expected of it, or cannot be batched.</exception>
    public static BatchedResNet Build(string preprocessPath, string networkPath)
    {
        var preprocess = Read(preprocessPath);
        var network = Read(networkPath);
        var (preprocessIn, inputShape) = SingleFloat(preprocess.Graph.Input, preprocessPath, "input");
        var (preprocessOut, preprocessedShape) = SingleFloat(preprocess.Graph.Output, preprocessPath, "output");
        var (networkIn, networkInputShape) = SingleFloat(network.Graph.Input, networkPath, "input");
        var (networkOut, outputShape) = SingleFloat(network.Graph.Output, networkPath, "output");
        if (inputShape is not [1, 3, > 0 and <= 4096, > 0 and <= 4096])
        {
            throw new DataFormatException(preprocessPath, $"expected an input of shape [1, 3, height, width], found {Format(inputShape)}");
        }
        if (!preprocessedShape.SequenceEqual(inputShape) || !networkInputShape.SequenceEqual(inputShape))
        {
            throw new DataFormatException(networkPath,
                $"the preprocessing output {Format(preprocessedShape)} and the network input {Format(networkInputShape)} must both be {Format(inputShape)}");
        }
        if (outputShape is not [1, > 0 and <= 65536, ..] || outputShape[2..].Any(d => d != 1))
        {
            throw new DataFormatException(networkPath, $"expected a pooled output of shape [1, dim, 1, 1], found {Format(outputShape)}");
        }
        if (!preprocess.OpsetImport.Select(o => (o.Domain, o.Version)).Order().SequenceEqual(network.OpsetImport.Select(o => (o.Domain, o.Version)).Order()))
        {
            throw new DataFormatException(networkPath, "the preprocessing and the network import different operator sets and cannot be merged");
        }
        CheckPerImage(preprocess.Graph, preprocessPath);
        CheckPerImage(network.Graph, networkPath);
        CheckDistinctNames(preprocess.Graph, network.Graph, networkPath);

        var merged = new GraphProto { Name = "resnet18_with_preprocessing" };
        merged.Input.Add(preprocess.Graph.Input);
        merged.Output.Add(network.Graph.Output);
        merged.Initializer.Add(preprocess.Graph.Initializer);
        merged.Initializer.Add(network.Graph.Initializer);
        foreach (var node in preprocess.Graph.Node)
        {
            // The preprocessing's output becomes the network's input: the two graphs join on that name.
            var joined = node.Clone();
            for (var i = 0; i < joined.Output.Count; i++)
            {
                if (joined.Output[i] == preprocessOut)
                {
                    joined.Output[i] = networkIn;
                }
            }
            merged.Node.Add(joined);
        }
        merged.Node.Add(network.Graph.Node);
        // The files' value_info entries all carry the fixed batch of 1; ONNX Runtime infers the shapes without them.
        merged.SetDim(0, DimParamOrValue.New(BatchDim));

        var model = new ModelProto
        {
            IrVersion = network.IrVersion,
            ProducerName = "MS2GAN.Pipeline (ResNetPreprocess.onnx + ResNet18.onnx, batch made symbolic)",
            Graph = merged,
        };
        model.OpsetImport.Add(network.OpsetImport);
        return new BatchedResNet(model.ToByteArray(), preprocessIn, networkOut, (int)inputShape[2], (int)inputShape[3], (int)outputShape[1]);
    }

    private static ModelProto Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ONNX model not found: {path}", path);
        }
        try
        {
            return ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new DataFormatException(path, $"not an ONNX model ({ex.Message})");
        }
    }

    private static (string Name, long[] Shape) SingleFloat(IReadOnlyList<ValueInfoProto> values, string path, string role)
    {
        if (values.Count != 1)
        {
            throw new DataFormatException(path, $"expected one {role}, found {values.Count}: {string.Join(", ", values.Select(v => v.Name))}");
        }
        var value = values[0];
        if (value.Type?.TensorType is not { } tensor || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw new DataFormatException(path, $"expected a float tensor {role}, found '{value.Name}' of another type");
        }
        var shape = tensor.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1).ToArray() ?? [];
        return (value.Name, shape);
    }

    private static void CheckPerImage(GraphProto graph, string path)
    {
        var other = graph.Node.FirstOrDefault(n => !string.IsNullOrEmpty(n.Domain) || !PerImageOperators.Contains(n.OpType));
        if (other is not null)
        {
            throw new DataFormatException(path,
                $"node '{other.Name}' ({other.Domain}{other.OpType}) may depend on the batch size of 1, so the graph cannot be batched");
        }
        // Concat and Split along the batch axis would mix or separate images.
        var acrossBatch = graph.Node.FirstOrDefault(n => n.OpType is "Concat" or "Split" && n.Attribute.Any(a => a.Name == "axis" && a.I == 0));
        if (acrossBatch is not null)
        {
            throw new DataFormatException(path, $"node '{acrossBatch.Name}' ({acrossBatch.OpType}) works along the batch axis, so the graph cannot be batched");
        }
    }

    private static void CheckDistinctNames(GraphProto preprocess, GraphProto network, string path)
    {
        var first = preprocess.Node.SelectMany(n => n.Output).Concat(preprocess.Initializer.Select(t => t.Name)).Concat(preprocess.Input.Select(i => i.Name)).ToHashSet();
        var clash = network.Node.SelectMany(n => n.Output).Concat(network.Initializer.Select(t => t.Name)).FirstOrDefault(first.Contains);
        if (clash is not null)
        {
            throw new DataFormatException(path, $"the preprocessing and the network both define '{clash}' and cannot be merged");
        }
    }

    private static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";
}
