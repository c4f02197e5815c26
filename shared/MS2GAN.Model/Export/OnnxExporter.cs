using System.Globalization;
using Google.Protobuf;
using Onnx;

namespace MS2GAN.Model.Export;

/// <summary>
/// Writes one modality's encoder as a self-contained ONNX model: input normalisation, the specific
/// stack, the common stack and row-wise L2 normalisation of both outputs. The names and metadata keys
/// below are the contract <see cref="Inference.OnnxEncoder"/> reads back.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Name of the graph input, float [batch, input_dim].</summary>
    public const string InputName = "features";

    /// <summary>Name of the L2-normalised specific output, float [batch, specific_dim].</summary>
    public const string SpecificOutputName = "specific";

    /// <summary>Name of the L2-normalised shared output, float [batch, shared_dim].</summary>
    public const string SharedOutputName = "shared";

    /// <summary>
    /// Name of the class-probability output, float [batch, classes]: the mean of the softmaxes of the label classifiers
    /// on S and on C. Present only in encoders exported with a <see cref="LabelHead"/>.
    /// </summary>
    public const string ProbabilitiesOutputName = "probabilities";

    /// <summary>Symbolic name of the batch dimension.</summary>
    public const string BatchDimName = "batch";

    /// <summary>Metadata key holding the modality ("image" or "text").</summary>
    public const string ModalityKey = "modality";

    /// <summary>Metadata key holding the input width.</summary>
    public const string InputDimKey = "input_dim";

    /// <summary>Metadata key holding the specific output width.</summary>
    public const string SpecificDimKey = "specific_dim";

    /// <summary>Metadata key holding the shared output width.</summary>
    public const string SharedDimKey = "shared_dim";

    /// <summary>Metadata key holding the number of classes of the probability output (absent without one).</summary>
    public const string ClassCountKey = "class_count";

    /// <summary>ONNX IR version written (8: understood by every ONNX Runtime since 1.10).</summary>
    public const long IrVersion = 8;

    /// <summary>Default-domain opset written. ReduceSumSquare still takes axes as an attribute here.</summary>
    public const long Opset = 17;

    /// <summary>Producer name written into the model.</summary>
    public const string ProducerName = "MS2GAN.Pipeline";

    /// <summary>Floor of the L2 norm, as in torch.nn.functional.normalize: an all-zero row stays zero.</summary>
    public const float NormEpsilon = 1e-12f;

    /// <summary>Writes the encoder to <paramref name="path"/>, replacing any file there only once the model is complete.</summary>
    /// <param name="spec">The encoder to export.</param>
    /// <param name="path">Destination .onnx file; its folder is created when missing.</param>
    public static void Export(EncoderSpec spec, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = ToBytes(spec);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        // Same folder as the target so the rename stays on one file system and is atomic; a reader
        // (an encoder service loading the model) sees the old file or the new one, never half of one.
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>The serialised ONNX model.</summary>
    /// <param name="spec">The encoder to export.</param>
    public static byte[] ToBytes(EncoderSpec spec) => Build(spec).ToByteArray();

    /// <summary>The ONNX model as a protobuf message, for inspection before writing.</summary>
    /// <param name="spec">The encoder to export.</param>
    public static ModelProto Build(EncoderSpec spec)
    {
        EncoderSpecChecks.Validate(spec);
        var m = spec.Modality;
        var graph = new GraphProto { Name = $"{m}_encoder" };
        graph.Input.Add(FloatMatrix(InputName, spec.InputDim));
        graph.Output.Add(FloatMatrix(SpecificOutputName, spec.SpecificDim));
        graph.Output.Add(FloatMatrix(SharedOutputName, spec.SharedDim));

        graph.Initializer.Add(FloatTensor($"{m}.input.mean", spec.Mean, spec.InputDim));
        graph.Initializer.Add(FloatTensor($"{m}.input.scale", spec.Scale, spec.InputDim));
        graph.Initializer.Add(FloatTensor("norm.epsilon", [NormEpsilon]));
        var input = InputName;
        if (spec.InputPower == 0.5)
        {
            // sign(x) * sqrt(|x|), as FeatureNormalizer.Transform.
            graph.Node.Add(Node("Abs", $"{m}.input.abs", [InputName], $"{m}.input.abs"));
            graph.Node.Add(Node("Sqrt", $"{m}.input.sqrt", [$"{m}.input.abs"], $"{m}.input.sqrt"));
            graph.Node.Add(Node("Sign", $"{m}.input.sign", [InputName], $"{m}.input.sign"));
            graph.Node.Add(Node("Mul", $"{m}.input.power", [$"{m}.input.sqrt", $"{m}.input.sign"], $"{m}.input.power"));
            input = $"{m}.input.power";
        }
        graph.Node.Add(Node("Sub", $"{m}.input.centre", [input, $"{m}.input.mean"], $"{m}.input.centred"));
        graph.Node.Add(Node("Mul", $"{m}.input.scale", [$"{m}.input.centred", $"{m}.input.scale"], $"{m}.input.normalised"));

        var specific = AddStack(graph, $"{m}.specific", spec.Specific, $"{m}.input.normalised");
        // The common stack has one set of weights for both modalities, so its names carry no modality.
        var commonInput = spec.SharedInput is { } sharedInput
            ? AddStack(graph, $"{m}.shared_input", sharedInput, $"{m}.input.normalised")
            : specific;
        var shared = AddStack(graph, "common", spec.Common, commonInput);
        AddL2Normalise(graph, $"{m}.specific.l2", specific, SpecificOutputName);
        AddL2Normalise(graph, $"{m}.shared.l2", shared, SharedOutputName);
        if (spec.Labels is { } labels)
        {
            graph.Output.Add(FloatMatrix(ProbabilitiesOutputName, labels.ClassCount));
            // The classifiers have one set of weights for both modalities, like the common stack.
            var fromSpecific = AddSoftmax(graph, AddStack(graph, "labels.specific", [labels.Specific], specific), "labels.specific");
            var fromShared = AddSoftmax(graph, AddStack(graph, "labels.shared", [labels.Shared], shared), "labels.shared");
            graph.Initializer.Add(FloatTensor("labels.half", [0.5f]));
            graph.Node.Add(Node("Add", "labels.sum", [fromSpecific, fromShared], "labels.sum"));
            graph.Node.Add(Node("Mul", "labels.mean", ["labels.sum", "labels.half"], ProbabilitiesOutputName));
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Domain = "ms2gan",
            ModelVersion = 1,
            DocString = $"MS2GAN {m} encoder: {InputName} [{BatchDimName},{spec.InputDim}] -> " +
                        $"{SpecificOutputName} [{BatchDimName},{spec.SpecificDim}], {SharedOutputName} [{BatchDimName},{spec.SharedDim}], both L2-normalised" +
                        (spec.Labels is null ? "." : $"; {ProbabilitiesOutputName} [{BatchDimName},{spec.ClassCount}], class probabilities."),
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        AddMetadata(model, ModalityKey, m);
        AddMetadata(model, InputDimKey, spec.InputDim.ToString(CultureInfo.InvariantCulture));
        AddMetadata(model, SpecificDimKey, spec.SpecificDim.ToString(CultureInfo.InvariantCulture));
        AddMetadata(model, SharedDimKey, spec.SharedDim.ToString(CultureInfo.InvariantCulture));
        if (spec.Labels is not null)
        {
            AddMetadata(model, ClassCountKey, spec.ClassCount.ToString(CultureInfo.InvariantCulture));
        }
        return model;
    }

    private static string AddStack(GraphProto graph, string prefix, IReadOnlyList<DenseLayer> layers, string input)
    {
        var current = input;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var name = $"{prefix}.{i}";
            graph.Initializer.Add(FloatTensor($"{name}.weight", layer.Weight, layer.OutFeatures, layer.InFeatures));
            graph.Initializer.Add(FloatTensor($"{name}.bias", layer.Bias, layer.OutFeatures));
            // transB=1: the weight stays [out, in] exactly as TorchSharp's Linear stores it.
            var gemm = Node("Gemm", $"{name}.gemm", [current, $"{name}.weight", $"{name}.bias"], $"{name}.linear");
            gemm.Attribute.Add(IntAttribute("transB", 1));
            graph.Node.Add(gemm);
            current = $"{name}.linear";

            var activation = layer.Activation switch
            {
                Activation.None => null,
                Activation.Relu => Node("Relu", $"{name}.relu", [current], $"{name}.out"),
                Activation.LeakyRelu => Node("LeakyRelu", $"{name}.leaky_relu", [current], $"{name}.out"),
                Activation.Tanh => Node("Tanh", $"{name}.tanh", [current], $"{name}.out"),
                Activation.Sigmoid => Node("Sigmoid", $"{name}.sigmoid", [current], $"{name}.out"),
                _ => throw new ArgumentOutOfRangeException(nameof(layers), layer.Activation, $"layer {name} has an unknown activation"),
            };
            if (activation is not null)
            {
                if (layer.Activation == Activation.LeakyRelu)
                {
                    activation.Attribute.Add(new AttributeProto
                    {
                        Name = "alpha",
                        Type = AttributeProto.Types.AttributeType.Float,
                        F = layer.LeakySlope,
                    });
                }
                graph.Node.Add(activation);
                current = $"{name}.out";
            }
        }
        return current;
    }

    private static string AddSoftmax(GraphProto graph, string input, string prefix)
    {
        var softmax = Node("Softmax", $"{prefix}.softmax", [input], $"{prefix}.probabilities");
        softmax.Attribute.Add(IntAttribute("axis", 1));
        graph.Node.Add(softmax);
        return $"{prefix}.probabilities";
    }

    /// <summary>x / max(||x||2, eps) per row.</summary>
    private static void AddL2Normalise(GraphProto graph, string prefix, string input, string output)
    {
        var sumSquares = Node("ReduceSumSquare", $"{prefix}.sum_squares", [input], $"{prefix}.sum_squares");
        // Opset 17 still takes axes as an attribute here (it became an input in opset 18).
        sumSquares.Attribute.Add(new AttributeProto { Name = "axes", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1L } });
        sumSquares.Attribute.Add(IntAttribute("keepdims", 1));
        graph.Node.Add(sumSquares);
        graph.Node.Add(Node("Sqrt", $"{prefix}.norm", [$"{prefix}.sum_squares"], $"{prefix}.norm"));
        graph.Node.Add(Node("Max", $"{prefix}.clamp", [$"{prefix}.norm", "norm.epsilon"], $"{prefix}.clamped"));
        graph.Node.Add(Node("Div", $"{prefix}.div", [input, $"{prefix}.clamped"], output));
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static TensorProto FloatTensor(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    private static ValueInfoProto FloatMatrix(string name, int columns)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimName });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = columns });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }

    private static void AddMetadata(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}
