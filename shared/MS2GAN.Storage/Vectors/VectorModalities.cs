namespace MS2GAN.Storage.Vectors;

/// <summary>The modality and target names vector stores accept.</summary>
public static class VectorModalities
{
    /// <summary>An image record, or a query for images.</summary>
    public const string Image = "image";

    /// <summary>A text record, or a query for texts.</summary>
    public const string Text = "text";

    /// <summary>A query target meaning both modalities.</summary>
    public const string Any = "any";
}
