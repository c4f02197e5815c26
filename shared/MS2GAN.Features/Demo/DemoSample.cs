namespace MS2GAN.Features.Demo;

/// <summary>One generated demo item: a PNG image and its caption.</summary>
/// <param name="Id">Stable id, e.g. <c>red-dotted-circle-0003</c>; also the media file name without extension.</param>
/// <param name="ClassIndex">The label (0-based index into <see cref="DemoDataGenerator.ClassNames"/>).</param>
/// <param name="ClassName">The class name.</param>
/// <param name="Caption">A caption written for this image.</param>
/// <param name="Png">The image, PNG-encoded.</param>
public sealed record DemoSample(string Id, int ClassIndex, string ClassName, string Caption, byte[] Png);
