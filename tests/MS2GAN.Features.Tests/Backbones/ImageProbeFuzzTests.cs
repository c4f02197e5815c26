using System.Buffers.Binary;
using MS2GAN.Features.Backbones;
using SkiaSharp;

namespace MS2GAN.Features.Tests.Backbones;

/// <summary>
/// Mutated and random image bytes through <see cref="ImageProbe"/>, the check ingest runs before it stores an
/// image: every input is accepted with its type or refused with a reason, never an exception or a hang.
/// </summary>
public sealed class ImageProbeFuzzTests
{
    private const int Seed = 20261130;
    private const int Cases = 1200;
    private const long MaxPixels = 4_000_000;

    private static readonly byte[] Png = TestImages.Reencode(TestImages.DemoPng(), SKEncodedImageFormat.Png, size: 24);

    private static readonly byte[][] ValidImages =
    [
        Png,
        TestImages.Reencode(Png, SKEncodedImageFormat.Jpeg, quality: 80),
        TestImages.Reencode(Png, SKEncodedImageFormat.Webp, quality: 80),
        PngHeaders.Claiming(100_000, 100_000),
        PngHeaders.Claiming(2_000, 2_000),
        JpegClaiming(TestImages.Reencode(Png, SKEncodedImageFormat.Jpeg, quality: 80), 65_535, 65_535),
        JpegClaiming(TestImages.Reencode(Png, SKEncodedImageFormat.Jpeg, quality: 80), 1_900, 2_000),
    ];

    // Markers and sizes of the three formats, so mutations land on the structure as well as on the data.
    private static readonly byte[][] ImageTokens =
    [
        .. Fuzz.HostileTokens,
        [0xFF, 0xD8, 0xFF], [0xFF, 0xC0], [0xFF, 0xC2], [0xFF, 0xDA], [0xFF, 0xD9], [0xFF, 0xE1], [0xFF, 0xFF],
        [0x7F, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x00, 0x00], [0x00, 0x01, 0x00, 0x00],
        "IHDR"u8.ToArray(), "IDAT"u8.ToArray(), "IEND"u8.ToArray(), "PLTE"u8.ToArray(), "tRNS"u8.ToArray(),
        "RIFF"u8.ToArray(), "WEBP"u8.ToArray(), "VP8 "u8.ToArray(), "VP8L"u8.ToArray(), "VP8X"u8.ToArray(),
        "GIF89a"u8.ToArray(), "BM"u8.ToArray(), [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A],
    ];

    [Fact]
    public async Task Mutated_images_are_accepted_with_a_type_or_refused_with_a_reason()
    {
        await Fuzz.RunAsync("ImageProbe", Seed, Cases, Generate, bytes =>
        {
            foreach (var verifyPixels in new[] { true, false })
            {
                if (ImageProbe.TryProbe(bytes, MaxPixels, out var contentType, out var error, verifyPixels))
                {
                    Assert.Contains(contentType, new[] { ImageProbe.Jpeg, ImageProbe.Png, ImageProbe.WebP });
                    Assert.Null(error);
                }
                else
                {
                    Assert.Equal("", contentType);
                    Assert.False(string.IsNullOrWhiteSpace(error), "refused without a reason");
                }
            }
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(5));
    }

    private static byte[] Generate(Random random) =>
        Fuzz.Mutate(random, ValidImages[random.Next(ValidImages.Length)], ImageTokens, maxLength: 64 << 10);

    /// <summary>The JPEG with the height and width of its start-of-frame segment replaced, its data unchanged.</summary>
    private static byte[] JpegClaiming(byte[] jpeg, ushort width, ushort height)
    {
        var bytes = jpeg.ToArray();
        for (var i = 2; i + 9 < bytes.Length; i++)
        {
            if (bytes[i] == 0xFF && bytes[i + 1] is 0xC0 or 0xC2)
            {
                // FF C0, length (2), precision (1), height (2), width (2).
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i + 5), height);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i + 7), width);
                return bytes;
            }
        }
        throw new InvalidOperationException("no start-of-frame segment");
    }
}
