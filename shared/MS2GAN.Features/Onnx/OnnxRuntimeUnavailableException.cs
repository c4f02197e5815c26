namespace MS2GAN.Features.Onnx;

/// <summary>The execution provider that was required (CUDA) cannot be used on this machine.</summary>
public sealed class OnnxRuntimeUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
