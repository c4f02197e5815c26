namespace MS2GAN.Features.Demo;

/// <summary>What <see cref="DemoDataGenerator.Generate"/> wrote.</summary>
/// <param name="Directory">The dataset folder (full path).</param>
/// <param name="Items">Every item, in file order: by class, then by index.</param>
/// <param name="ClassNames">Class names by label.</param>
/// <param name="HasFeatures">Whether the .npy feature files and dataset.json were written.</param>
public sealed record DemoDataset(string Directory, IReadOnlyList<DemoItem> Items, IReadOnlyList<string> ClassNames, bool HasFeatures);
