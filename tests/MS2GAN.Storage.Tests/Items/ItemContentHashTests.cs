using MS2GAN.Storage.Items;

namespace MS2GAN.Storage.Tests.Items;

public sealed class ItemContentHashTests
{
    private static readonly Dictionary<string, string> Metadata = new() { ["source"] = "wiki", ["lang"] = "en" };

    [Fact]
    public void Equal_content_hashes_alike_whatever_the_order_of_labels_and_metadata()
    {
        var first = ItemContentHash.Compute(["b", "a"], Metadata, "text", null, [1f, 2f], null);
        var second = ItemContentHash.Compute(["a", "b"], new Dictionary<string, string> { ["lang"] = "en", ["source"] = "wiki" }, "text", null, [1f, 2f], null);

        Assert.Equal(first, second);
        Assert.Matches("^[0-9a-f]{64}$", first);
    }

    [Fact]
    public void Any_change_of_content_changes_the_hash()
    {
        var image = ItemContentHash.Sha256Hex([1, 2, 3]);
        var hashes = new[]
        {
            ItemContentHash.Compute(["a"], Metadata, "text", image, [1f], [2f]),
            ItemContentHash.Compute(["b"], Metadata, "text", image, [1f], [2f]),
            ItemContentHash.Compute(["a"], new Dictionary<string, string>(), "text", image, [1f], [2f]),
            ItemContentHash.Compute(["a"], Metadata, "texT", image, [1f], [2f]),
            ItemContentHash.Compute(["a"], Metadata, null, image, [1f], [2f]),
            ItemContentHash.Compute(["a"], Metadata, "text", ItemContentHash.Sha256Hex([1, 2, 4]), [1f], [2f]),
            ItemContentHash.Compute(["a"], Metadata, "text", null, [1f], [2f]),
            ItemContentHash.Compute(["a"], Metadata, "text", image, [1.0000001f], [2f]),
            ItemContentHash.Compute(["a"], Metadata, "text", image, [2f], [1f]),
            // Fields are delimited: moving characters from one field to the next is a different item.
            ItemContentHash.Compute(["ab"], Metadata, "text", image, [1f], [2f]),
            ItemContentHash.Compute(["a"], Metadata, "btext", image, [1f], [2f]),
        };

        Assert.Equal(hashes.Length, hashes.Distinct().Count());
    }
}
