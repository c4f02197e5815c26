using MS2GAN.Features.Backbones;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Features.Tests.Backbones;

[Collection(BackboneCollection.Name)]
public sealed class FrameBatchTests(BackboneFixture fixture)
{
    [Fact]
    public void Preparing_a_batch_on_several_threads_gives_the_rows_one_thread_gives()
    {
        // Several threads prepare a batch beside a CUDA session; here the same code runs beside a CPU one.
        using var session = fixture.Sessions.Create(Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNetPreprocess));
        using var alone = new FrameBatch(session, 6, 224, 224, 512, preparers: 1);
        using var together = new FrameBatch(session, 6, 224, 224, 512, preparers: 3);
        ReadOnlyMemory<byte>[] images = [.. Enumerable.Range(0, 6).Select(i => (ReadOnlyMemory<byte>)(i == 2 ? new byte[] { 7, 7 } : TestImages.DemoPng(classIndex: i)))];
        var refusedAlone = new List<int>();
        var refusedTogether = new List<int>();

        alone.Prepare(0, 6, i => images[i], ResNet18Backbone.DefaultMaxPixels, (i, _) => refusedAlone.Add(i), new ImageStageClock());
        together.Prepare(0, 6, i => images[i], ResNet18Backbone.DefaultMaxPixels, (i, _) => { lock (refusedTogether) { refusedTogether.Add(i); } }, new ImageStageClock());

        Assert.Equal([2], refusedAlone);
        Assert.Equal([2], refusedTogether);
        Assert.Equal(5, alone.Count);
        Assert.Equal(5, together.Count);
        Assert.Equal([0, 1, 3, 4, 5], alone.Items[..5]);
        Assert.Equal(alone.Items[..5], together.Items[..5]);
        Assert.True(alone.Pixels.Span[..(5 * 3 * 224 * 224)].SequenceEqual(together.Pixels.Span[..(5 * 3 * 224 * 224)]),
            "the frames prepared on several threads differ from those prepared on one");
    }
}
