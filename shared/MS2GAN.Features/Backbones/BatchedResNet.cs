namespace MS2GAN.Features.Backbones;

/// <summary>The merged ResNet18 model of <see cref="ResNetGraph"/> and what the backbone needs to know of it.</summary>
/// <param name="Model">The serialized ONNX model: planar RGB 0-255 [batch, 3, height, width] in, [batch, dim, 1, 1] out.</param>
/// <param name="InputName">Its input.</param>
/// <param name="OutputName">Its output.</param>
/// <param name="Height">Height of the frame the network sees.</param>
/// <param name="Width">Width of the frame the network sees.</param>
/// <param name="Dim">Width of the feature vector.</param>
internal sealed record BatchedResNet(byte[] Model, string InputName, string OutputName, int Height, int Width, int Dim);
