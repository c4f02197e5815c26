using System.Diagnostics.CodeAnalysis;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// One image's result in a batch: its features, or why the image could not be used. A bad image fails alone;
/// the other images of its batch are embedded as usual.
/// </summary>
public sealed class ImageEmbedding
{
    private ImageEmbedding(float[]? features, string? error)
    {
        Features = features;
        Error = error;
    }

    /// <summary>The features (the backbone's <c>Dim</c> values); null when the image could not be used.</summary>
    public float[]? Features { get; }

    /// <summary>Why the image could not be used (not a JPEG, PNG or WebP image, over the pixel limit, corrupt); null on success.</summary>
    public string? Error { get; }

    /// <summary>Whether <see cref="Features"/> holds the features.</summary>
    [MemberNotNullWhen(true, nameof(Features))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Features is not null;

    /// <summary>The features of an image.</summary>
    public static ImageEmbedding Success(float[] features) => new(features ?? throw new ArgumentNullException(nameof(features)), null);

    /// <summary>An image that could not be used, and why.</summary>
    public static ImageEmbedding Failure(string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new ImageEmbedding(null, error);
    }
}
