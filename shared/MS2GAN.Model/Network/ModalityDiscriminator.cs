using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MS2GAN.Model.Network;

/// <summary>Tells from a shared feature whether it came from an image (logit &gt; 0) or a text.</summary>
public sealed class ModalityDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly Linear _hidden;
    private readonly Linear _output;

    /// <summary>Creates a one-hidden-layer discriminator over shared features of width <paramref name="inputDim"/>.</summary>
    public ModalityDiscriminator(int inputDim, int hidden) : base("discriminator")
    {
        _hidden = nn.Linear(inputDim, hidden);
        _output = nn.Linear(hidden, 1);
        RegisterComponents();
    }

    /// <summary>One logit per row: image versus text.</summary>
    public override Tensor forward(Tensor shared) =>
        _output.forward(nn.functional.leaky_relu(_hidden.forward(shared), 0.2)).squeeze(-1);
}
