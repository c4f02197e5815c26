namespace MS2GAN.Features.Backbones;

/// <summary>
/// Where the time of the images a <see cref="ResNet18Backbone"/> embedded went, summed over them, each stage timed
/// on the thread that ran it. Batches run on several lanes at once, so the stages of a batched call add up to about
/// the wall time multiplied by the number of lanes.
/// </summary>
/// <param name="Images">Images embedded or refused.</param>
/// <param name="Batches">Session runs.</param>
/// <param name="Decoding">Reading the header and decoding the pixels (and applying the EXIF orientation).</param>
/// <param name="Drawing">Scaling and centre-cropping the image into the network's frame over white.</param>
/// <param name="Converting">Interleaved RGBA bytes to the planar float frame of the batch.</param>
/// <param name="Session">The ONNX Runtime run: the preprocessing (BGR, mean image) and ResNet18 in one graph.</param>
/// <param name="Copying">Copying each image's features out of the batch output.</param>
public sealed record ImageStageTimes(long Images, long Batches, TimeSpan Decoding, TimeSpan Drawing, TimeSpan Converting,
    TimeSpan Session, TimeSpan Copying)
{
    /// <summary>The times spent between an earlier snapshot and this one.</summary>
    public ImageStageTimes Since(ImageStageTimes earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new ImageStageTimes(Images - earlier.Images, Batches - earlier.Batches, Decoding - earlier.Decoding,
            Drawing - earlier.Drawing, Converting - earlier.Converting, Session - earlier.Session, Copying - earlier.Copying);
    }
}
