using MS2GAN.Features.Backbones;

namespace MS2GAN.Features.Tests.Backbones;

[Collection(BackboneCollection.Name)]
public sealed class BackboneSetTests(BackboneFixture fixture)
{
    [Fact]
    public void Embedding_images_gives_each_image_its_features_or_its_own_error()
    {
        using var backbones = new BackboneSet(fixture.Sessions);
        var first = TestImages.DemoPng(classIndex: 1);
        var second = TestImages.DemoPng(classIndex: 7);

        var results = backbones.EmbedImages([first, new byte[] { 0x89, 0x50 }, second]);

        Assert.Equal(3, results.Count);
        Assert.InRange(Vectors.MaxAbsDiff(backbones.EmbedImage(first), results[0].Features), 0, 1e-4);
        Assert.InRange(Vectors.MaxAbsDiff(backbones.EmbedImage(second), results[2].Features), 0, 1e-4);
        Assert.False(results[1].Succeeded);
        Assert.StartsWith("the data is not a JPEG, PNG or WebP image", results[1].Error);
    }
}
