namespace MS2GAN.Features.Onnx;

/// <summary>Which ONNX Runtime execution provider a session should run on.</summary>
public enum ExecutionPreference
{
    /// <summary>CUDA when it can be loaded, otherwise the CPU (the log says which and why).</summary>
    Auto,

    /// <summary>CUDA only; creating a session fails when CUDA cannot be used.</summary>
    Cuda,

    /// <summary>The CPU only.</summary>
    Cpu,
}
