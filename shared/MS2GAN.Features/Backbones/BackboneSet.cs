using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Features.Backbones;

/// <summary>
/// The built-in backbones, each loaded on first use (a feature-mode deployment never loads them), and the
/// one place that maps a feature-space name to the backbone that produces it.
/// </summary>
public sealed class BackboneSet(OnnxSessionFactory sessions) : IDisposable
{
    private readonly Lazy<ResNet18Backbone> _images = new(() => new ResNet18Backbone(sessions));
    private readonly Lazy<MiniLmBackbone> _texts = new(() => new MiniLmBackbone(sessions));

    /// <summary>Whether base features of this space can be computed from raw media here.</summary>
    public static bool CanExtract(string modality, string featureSpace) => (modality, featureSpace) switch
    {
        ("image", BackboneNames.ResNet18) => true,
        ("text", BackboneNames.MiniLm) => true,
        _ => false,
    };

    /// <summary>ResNet18 features of an encoded image (JPEG, PNG or WebP).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a usable JPEG, PNG or WebP image; the message says why.</exception>
    public float[] EmbedImage(ReadOnlySpan<byte> encoded) => _images.Value.Embed(encoded);

    /// <summary>
    /// ResNet18 features of encoded images (JPEG, PNG or WebP), in batched session runs with the next batch decoded
    /// while this one runs. Each image has its own result: one that cannot be used carries its error, and the
    /// others are embedded as usual.
    /// </summary>
    /// <param name="encoded">The images' bytes.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>One result per image, in order.</returns>
    public IReadOnlyList<ImageEmbedding> EmbedImages(IReadOnlyList<ReadOnlyMemory<byte>> encoded, CancellationToken cancellationToken = default) =>
        _images.Value.EmbedBatch(encoded, cancellationToken: cancellationToken);

    /// <summary>Where the image backbone's time went so far (per stage, summed over images); null until it is loaded.</summary>
    public ImageStageTimes? ImageStageTimes => _images.IsValueCreated ? _images.Value.StageTimes : null;

    /// <summary>MiniLM features of texts, in batched session runs (texts of similar length together).</summary>
    public FeatureMatrix EmbedTexts(IReadOnlyList<string> texts) => _texts.Value.Embed(texts);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_images.IsValueCreated)
        {
            _images.Value.Dispose();
        }
        if (_texts.IsValueCreated)
        {
            _texts.Value.Dispose();
        }
    }
}
