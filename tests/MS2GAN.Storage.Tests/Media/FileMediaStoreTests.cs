using MS2GAN.Storage.Media;

namespace MS2GAN.Storage.Tests.Media;

public sealed class FileMediaStoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ms2gan-media-");
    private readonly FileMediaStore _store;

    public FileMediaStoreTests() => _store = new FileMediaStore(new FileMediaStoreOptions { RootPath = MediaRoot, MaxBytes = 1024 });

    private string MediaRoot => Path.Combine(_folder.FullName, "media");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Puts_reads_and_deletes_media()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

        var mediaRef = await _store.PutAsync("item-1", png, "image/png");

        Assert.Matches("^[0-9a-f]{2}/[0-9a-f]{64}\\.png$", mediaRef);
        Assert.Equal(png, await ReadAll(mediaRef));
        Assert.True(await _store.DeleteAsync(mediaRef));
        Assert.False(await _store.DeleteAsync(mediaRef));
        Assert.Null(await _store.OpenReadAsync(mediaRef));
    }

    [Fact]
    public async Task Stores_under_a_two_character_shard_of_the_root()
    {
        var mediaRef = await _store.PutAsync("item-1", new MemoryStream([1, 2, 3]), "image/jpeg");

        var shard = mediaRef[..2];
        Assert.Equal(shard, mediaRef[3..5]);
        Assert.True(File.Exists(Path.Combine(MediaRoot, shard, mediaRef[3..])));
        Assert.EndsWith(".jpg", mediaRef, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_bytes_for_the_same_item_get_the_same_reference_and_other_bytes_or_items_another()
    {
        var first = await _store.PutAsync("a", new byte[] { 1, 2, 3 }, "image/png");
        var again = await _store.PutAsync("a", new MemoryStream([1, 2, 3]), "image/png");
        var otherBytes = await _store.PutAsync("a", new byte[] { 1, 2, 4 }, "image/png");
        var otherItem = await _store.PutAsync("b", new byte[] { 1, 2, 3 }, "image/png");

        Assert.Equal(first, again);
        Assert.Equal(3, new[] { first, otherBytes, otherItem }.Distinct().Count());
        // Deleting one item's media leaves another item with equal bytes intact.
        await _store.DeleteAsync(otherItem);
        Assert.Equal([1, 2, 3], await ReadAll(first));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("../../etc/passwd")]
    [InlineData("a/b")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData("")]
    public async Task Refuses_ids_that_try_to_leave_the_folder_and_writes_nothing(string itemId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(itemId, new byte[] { 1 }, "image/png"));

        Assert.Empty(Directory.EnumerateFiles(_folder.FullName, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Any_valid_id_lands_inside_the_root()
    {
        foreach (var id in new[] { "a..b", "x:y", "A-B_c.d", new string('z', 128) })
        {
            var mediaRef = await _store.PutAsync(id, new byte[] { 7 }, "image/png");
            var path = Path.GetFullPath(Path.Combine(MediaRoot, mediaRef));
            Assert.StartsWith(_store.RootPath, path, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("../secret.png")]
    [InlineData("ab/../../secret")]
    [InlineData("/etc/passwd")]
    [InlineData("ab/..")]
    [InlineData("ab\\cd")]
    [InlineData("AB/ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB.png")]
    [InlineData("ab/cdabababababababababababababababababababababababababababababab.png")]
    [InlineData("ab/abababababababababababababababababababababababababababababababab.p/g")]
    [InlineData("ab/abababababababababababababababababababababababababababababababab.png\0")]
    [InlineData("")]
    public async Task Refuses_references_that_are_not_its_own(string mediaRef)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(mediaRef));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeleteAsync(mediaRef));
        Assert.False(FileMediaStore.IsValidReference(mediaRef));
    }

    [Fact]
    public async Task Refuses_media_over_the_size_limit_with_a_clear_error_and_leaves_nothing()
    {
        var bytes = new byte[1025];

        var fromBytes = await Assert.ThrowsAsync<MediaTooLargeException>(() => _store.PutAsync("a", bytes, "image/png"));
        // A stream that cannot tell its length is stopped while copying.
        await Assert.ThrowsAsync<MediaTooLargeException>(() => _store.PutAsync("a", new UnseekableStream(bytes), "image/png"));

        Assert.Equal(1024, fromBytes.LimitBytes);
        Assert.Contains("1024 bytes", fromBytes.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(MediaRoot, "*", SearchOption.AllDirectories));
        Assert.NotNull(await _store.PutAsync("a", new UnseekableStream(new byte[1024]), "image/png"));
    }

    [Fact]
    public async Task Leaves_no_temporary_files_after_a_put_or_a_failed_put()
    {
        await _store.PutAsync("a", new byte[] { 1, 2 }, "image/webp");
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync("b", Array.Empty<byte>(), "image/png"));
        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync("c", new FailingStream(), "image/png"));

        var files = Directory.EnumerateFiles(MediaRoot, "*", SearchOption.AllDirectories).ToList();
        Assert.Single(files);
        Assert.EndsWith(".webp", files[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clears_stale_temporary_files_at_start_but_keeps_recent_ones()
    {
        var temporary = Path.Combine(MediaRoot, ".tmp");
        var stale = Path.Combine(temporary, "stale.part");
        var recent = Path.Combine(temporary, "recent.part");
        await File.WriteAllBytesAsync(stale, [1]);
        await File.WriteAllBytesAsync(recent, [1]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-1));

        _ = new FileMediaStore(new FileMediaStoreOptions { RootPath = MediaRoot });

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(recent));
    }

    [Theory]
    [InlineData("")]
    [InlineData("png")]
    [InlineData("image/png/../x")]
    [InlineData("image /png")]
    public async Task Refuses_malformed_content_types(string contentType)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync("a", new byte[] { 1 }, contentType));
    }

    [Fact]
    public async Task Accepts_content_types_with_parameters_and_unknown_types()
    {
        Assert.EndsWith(".jpg", await _store.PutAsync("a", new byte[] { 1 }, "Image/JPEG; q=1"), StringComparison.Ordinal);
        Assert.EndsWith(".bin", await _store.PutAsync("a", new byte[] { 1 }, "application/octet-stream"), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_options_without_a_root_or_with_a_limit_that_is_not_positive()
    {
        Assert.Throws<ArgumentException>(() => new FileMediaStore(new FileMediaStoreOptions()));
        Assert.Throws<ArgumentException>(() => new FileMediaStore(new FileMediaStoreOptions { RootPath = MediaRoot, MaxBytes = 0 }));
        Assert.Equal(20L * 1024 * 1024, new FileMediaStoreOptions().MaxBytes);
    }

    private async Task<byte[]> ReadAll(string mediaRef)
    {
        await using var stream = await _store.OpenReadAsync(mediaRef);
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }

    private sealed class FailingStream : Stream
    {
        private int _reads;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            // One chunk arrives, then the connection drops: the temporary file exists when the error comes.
            if (_reads++ > 0)
            {
                throw new IOException("connection reset");
            }
            buffer[offset] = 42;
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
