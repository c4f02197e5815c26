using MS2GAN.Model.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MS2GAN.Model.Network;

/// <summary>
/// A stack of fully connected layers: activation and dropout after every hidden layer, nothing after the
/// last one. Kept to operators that export to ONNX one for one (Gemm and an activation).
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> _layers;
    private readonly Activation _activation;
    private readonly double _dropout;

    /// <summary>Creates the stack inputDim -> hidden... -> outputDim.</summary>
    public Mlp(string name, int inputDim, IReadOnlyList<int> hidden, int outputDim, Activation activation, double dropout)
        : base(name)
    {
        var widths = new List<int> { inputDim };
        widths.AddRange(hidden);
        widths.Add(outputDim);
        _layers = new ModuleList<Linear>();
        for (var i = 0; i + 1 < widths.Count; i++)
        {
            _layers.Add(nn.Linear(widths[i], widths[i + 1]));
        }
        _activation = activation;
        _dropout = dropout;
        RegisterComponents();
    }

    /// <summary>Output width.</summary>
    public int OutputDim => (int)_layers[^1].out_features;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (var i = 0; i < _layers.Count; i++)
        {
            x = _layers[i].forward(x);
            if (i + 1 < _layers.Count)
            {
                x = Apply(_activation, x);
                if (_dropout > 0 && training)
                {
                    x = nn.functional.dropout(x, _dropout, training);
                }
            }
        }
        return x;
    }

    /// <summary>The layers as plain arrays, for ONNX export and reference computation.</summary>
    public IReadOnlyList<DenseLayer> ToDenseLayers()
    {
        var result = new List<DenseLayer>();
        for (var i = 0; i < _layers.Count; i++)
        {
            result.Add(ToDenseLayer(_layers[i], i + 1 == _layers.Count ? Activation.None : _activation));
        }
        return result;
    }

    /// <summary>One linear layer as plain arrays followed by <paramref name="activation"/>.</summary>
    internal static DenseLayer ToDenseLayer(Linear layer, Activation activation) => new(
        layer.weight!.detach().cpu().contiguous().data<float>().ToArray(),
        layer.bias!.detach().cpu().contiguous().data<float>().ToArray(),
        (int)layer.in_features, (int)layer.out_features, activation);

    private static Tensor Apply(Activation activation, Tensor x) => activation switch
    {
        Activation.Relu => nn.functional.relu(x),
        Activation.LeakyRelu => nn.functional.leaky_relu(x, 0.01),
        Activation.Tanh => x.tanh(),
        Activation.Sigmoid => x.sigmoid(),
        _ => x,
    };

    /// <summary>Maps a configuration name (relu, leaky_relu, tanh, sigmoid) to the activation.</summary>
    public static Activation ParseActivation(string name) => name switch
    {
        "relu" => Activation.Relu,
        "leaky_relu" => Activation.LeakyRelu,
        "tanh" => Activation.Tanh,
        "sigmoid" => Activation.Sigmoid,
        _ => throw new ConfigException($"unknown activation {name}"),
    };
}
