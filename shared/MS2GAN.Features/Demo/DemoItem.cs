namespace MS2GAN.Features.Demo;

/// <summary>One row of <c>captions.tsv</c>: an item of a generated demo dataset.</summary>
/// <param name="Id">Item id; the image is <c>media/{Id}.png</c>.</param>
/// <param name="ClassIndex">The label.</param>
/// <param name="ClassName">The class name.</param>
/// <param name="Split"><see cref="DemoDataGenerator.TrainSplit"/> or <see cref="DemoDataGenerator.TestSplit"/>.</param>
/// <param name="Caption">The caption.</param>
public sealed record DemoItem(string Id, int ClassIndex, string ClassName, string Split, string Caption);
