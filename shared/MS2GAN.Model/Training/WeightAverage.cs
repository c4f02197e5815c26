using TorchSharp;
using static TorchSharp.torch;

namespace MS2GAN.Model.Training;

/// <summary>
/// An exponential running average of a module's weights (avg = decay * avg + (1 - decay) * w after every step). It
/// smooths out the step-to-step noise of small training sets, so the weights validated and kept are less of a lucky
/// draw. <see cref="SwapIn"/> puts the average into the module until the returned scope is disposed.
/// </summary>
internal sealed class WeightAverage : IDisposable
{
    private readonly nn.Module _module;
    private readonly double _decay;
    private readonly Dictionary<string, Tensor> _average;

    public WeightAverage(nn.Module module, double decay)
    {
        _module = module;
        _decay = decay;
        using var noGrad = no_grad();
        _average = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    public void Update()
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in _module.state_dict())
        {
            _average[name].mul_(_decay).add_(value, alpha: 1 - _decay);
        }
    }

    /// <summary>Copies the average into the module; disposing the result puts the module's own weights back.</summary>
    public Swap SwapIn() => new(_module, _average);

    public void Dispose()
    {
        foreach (var tensor in _average.Values)
        {
            tensor.Dispose();
        }
    }

    internal sealed class Swap : IDisposable
    {
        private readonly nn.Module _module;
        private Dictionary<string, Tensor>? _saved;

        public Swap(nn.Module module, Dictionary<string, Tensor> average)
        {
            _module = module;
            using var noGrad = no_grad();
            _saved = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
            foreach (var (name, value) in module.state_dict())
            {
                value.copy_(average[name]);
            }
        }

        /// <summary>Leaves the average in the module for good.</summary>
        public void Keep() => Release(restore: false);

        public void Dispose() => Release(restore: true);

        private void Release(bool restore)
        {
            if (_saved is null)
            {
                return;
            }
            using var noGrad = no_grad();
            if (restore)
            {
                foreach (var (name, value) in _module.state_dict())
                {
                    value.copy_(_saved[name]);
                }
            }
            foreach (var tensor in _saved.Values)
            {
                tensor.Dispose();
            }
            _saved = null;
        }
    }
}
