using Microsoft.ML.OnnxRuntime;

namespace MS2GAN.Features.Onnx;

/// <summary>How <see cref="OnnxSessionFactory"/> creates sessions; bindable from configuration.</summary>
public sealed class OnnxRuntimeOptions
{
    /// <summary>The execution provider to ask for. Default <see cref="ExecutionPreference.Auto"/>.</summary>
    public ExecutionPreference Preference { get; init; } = ExecutionPreference.Auto;

    /// <summary>
    /// Threads one CPU operator may use; 0 (the default) means <see cref="Environment.ProcessorCount"/>.
    /// Lower it when several sessions run side by side on the same cores.
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Whether idle intra-op threads busy-wait for work (ONNX Runtime's default). Off by default: on
    /// cores shared with other work (the services in one process, training) spinning threads steal the
    /// CPU the model needs; measured on a loaded 2-core machine, ResNet18 with two threads ran at
    /// 7.6 images/s spinning and 21 images/s not. Turn it on for a dedicated inference host.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>
    /// How much ONNX Runtime rewrites a graph before running it. Default <see cref="GraphOptimizationLevel.ORT_ENABLE_ALL"/>:
    /// on the 2-core development machine ResNet18 used about a quarter less CPU per image with it than with the
    /// basic or extended levels (its layout transformations, README "Raw image encoding").
    /// </summary>
    public GraphOptimizationLevel GraphOptimization { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// Whether CPU sessions keep the memory they free in ONNX Runtime's arena for the next run (its default, and
    /// ours: turning it off saved no time and makes every run allocate again).
    /// </summary>
    public bool CpuMemoryArena { get; init; } = true;

    /// <summary>The CUDA device ordinal used when CUDA is tried. Default 0.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>The thread count actually used.</summary>
    internal int EffectiveIntraOpThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative or the preference is unknown.</exception>
    public OnnxRuntimeOptions Validate()
    {
        if (!Enum.IsDefined(Preference))
        {
            throw new ArgumentOutOfRangeException(nameof(Preference), Preference, "expected Auto, Cuda or Cpu");
        }
        if (!Enum.IsDefined(GraphOptimization))
        {
            throw new ArgumentOutOfRangeException(nameof(GraphOptimization), GraphOptimization, "expected an ONNX Runtime graph optimisation level");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpThreads, nameof(IntraOpThreads));
        ArgumentOutOfRangeException.ThrowIfNegative(CudaDeviceId, nameof(CudaDeviceId));
        return this;
    }
}
