namespace MS2GAN.Storage.Vectors;

/// <summary>Thrown when an index or alias name does not exist.</summary>
public sealed class VectorIndexNotFoundException(string name)
    : KeyNotFoundException($"Vector index or alias '{name}' does not exist.")
{
    /// <summary>The name that was looked up.</summary>
    public string Name { get; } = name;
}
