namespace MS2GAN.Model.Artifacts;

/// <summary>A file of a model folder with its size and SHA-256, checked when the model is loaded.</summary>
/// <param name="Path">File name relative to the model folder.</param>
/// <param name="Bytes">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the contents.</param>
public sealed record ModelFile(string Path, long Bytes, string Sha256);
