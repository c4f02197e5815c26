using MS2GAN.Storage.Items;

namespace MS2GAN.Storage.Tests.Items;

public sealed class ItemIdsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("item-42")]
    [InlineData("wiki:train:0001")]
    [InlineData("A.b_c-D:9")]
    [InlineData("a..b")]
    public void Accepts_ids_of_the_allowed_characters(string id)
    {
        Assert.True(ItemIds.IsValid(id));
        Assert.Equal(id, ItemIds.Validate(id));
    }

    [Fact]
    public void Accepts_an_id_of_exactly_128_characters() => Assert.True(ItemIds.IsValid(new string('x', 128)));

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "start with '.'")]
    [InlineData("..", "start with '.'")]
    [InlineData(".hidden", "start with '.'")]
    [InlineData("../x", "start with '.'")]
    [InlineData("a/b", "'/'")]
    [InlineData("a\\b", "'\\'")]
    [InlineData("x/../../etc/passwd", "'/'")]
    [InlineData("with space", "U+0020")]
    [InlineData("tab\there", "U+0009")]
    [InlineData("caf\u00e9", "'\u00e9'")]
    [InlineData("nul\0", "U+0000")]
    public void Refuses_bad_ids_saying_why(string id, string reasonPart)
    {
        var exception = Assert.Throws<ArgumentException>(() => ItemIds.Validate(id, "id"));

        Assert.Contains(reasonPart, exception.Message, StringComparison.Ordinal);
        Assert.Equal("id", exception.ParamName);
        Assert.False(ItemIds.TryValidate(id, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Refuses_null_and_an_id_of_129_characters()
    {
        Assert.False(ItemIds.IsValid(null));
        var exception = Assert.Throws<ArgumentException>(() => ItemIds.Validate(new string('x', 129)));
        Assert.Contains("at most 128", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generates_valid_distinct_ids_that_sort_in_creation_order()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => ItemIds.New()).ToList();

        Assert.All(ids, id => Assert.True(ItemIds.IsValid(id), id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // Version 7 UUIDs start with the millisecond timestamp; within one millisecond the order is random.
        Assert.True(string.CompareOrdinal(ids[0][..12], ids[^1][..12]) <= 0);
    }
}
