using System.Text;
using MS2GAN.Features.Data;

namespace MS2GAN.Features.Tests.Data;

/// <summary>
/// Mutated and random .npy files: the reader either reads them or throws a <see cref="DataFormatException"/>
/// naming the file and the problem (what the CLI prints as <c>error: file: problem</c>), and never hangs.
/// </summary>
public sealed class NpyReaderFuzzTests : IDisposable
{
    private const int Seed = 20261129;
    private const int Cases = 1500;

    private static readonly byte[][] ValidFiles =
    [
        NpyBytes.File(NpyBytes.Header("<f4", "(2, 3)"), NpyBytes.Float32(1, 2, 3, 4, 5, 6)),
        NpyBytes.File(NpyBytes.Header("<f8", "(3, 2)", fortranOrder: true), NpyBytes.Float64(1, 0, 0, 0, 1, 1)),
        NpyBytes.File(NpyBytes.Header("<i4", "(4,)"), NpyBytes.Int32(0, 1, 2, 3)),
        NpyBytes.File(NpyBytes.Header("<i8", "(2, 2)"), NpyBytes.Int64(1, 0, 0, 1), major: 2),
        NpyBytes.File(NpyBytes.Header("<f4", "(1, 2)"), NpyBytes.Float32(float.NaN, float.PositiveInfinity), major: 3),
    ];

    // Header fragments: absurd shapes (negative, past int, a product past any array), odd dtypes, nesting.
    private static readonly byte[][] HeaderTokens =
    [
        .. Fuzz.HostileTokens,
        .. new[]
        {
            "(2147483647, 2147483647)", "(46341, 46341)", "(40000, 50000)", "(536870912, 4)", "(-1, 3)", "(0, 0)", "(3,)",
            "(9223372036854775807, 2)", "(1, 2, 3)", "()", "((2, 3),)", "'shape': (2, 3)", "'descr': '>f4'",
            "'descr': [('a', '<f4')]", "'fortran_order': 1", "True", "False", "None", "3L", "'<U8'", "'|b1'",
            "'", "\"", "}", ")", " ", "\u00e9", "\u20ac",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Mutated_files_are_read_or_refused_with_a_DataFormatException()
    {
        var counter = 0;
        await Fuzz.RunAsync("NpyReader", Seed, Cases, Generate, bytes =>
        {
            // A file per case: a case that hangs must not share its file with the next.
            var path = _folder.WriteBytes($"case-{Interlocked.Increment(ref counter)}.npy", bytes);
            var before = GC.GetAllocatedBytesForCurrentThread();
            ReadsOrRefuses(path, () => NpyReader.ReadMatrix(path));
            ReadsOrRefuses(path, () => NpyReader.ReadLabels(path));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // Files of at most 8 KB: anything near this bound was sized by the header, not by the file.
            Assert.True(allocated < 64 << 20, $"allocated {allocated} bytes for a file of {bytes.Length} bytes");
            File.Delete(path);
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Refuses_deeply_nested_header_literals_without_overflowing_the_stack()
    {
        // Found by the fuzzer: the header parser recursed once per bracket, and 65,000 of them overflowed the stack.
        var path = _folder.WriteBytes("nested.npy", NpyBytes.File(new string('(', 60_000), []));

        var exception = DataAssert.Fails(path, "nested too deeply", () => NpyReader.ReadMatrix(path));
        Assert.True(exception.Message.Length < 1_000, $"the message echoes the whole header: {exception.Message.Length} characters");
    }

    [Fact]
    public void Refuses_a_shape_the_file_does_not_hold_before_allocating_for_it()
    {
        // Found by the fuzzer: a 128-byte file claiming (40000, 50000) made the reader allocate 8 GB before it
        // compared the shape with the file's length.
        var path = _folder.WriteBytes("huge.npy", NpyBytes.File(NpyBytes.Header("<f4", "(40000, 50000)"), NpyBytes.Float32(1, 2)));
        var before = GC.GetAllocatedBytesForCurrentThread();

        DataAssert.Fails(path, "truncated data", () => NpyReader.ReadMatrix(path));
        DataAssert.Fails(path, "truncated data", () => NpyReader.ReadLabels(path));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes to refuse a file of a few bytes");
    }

    private static byte[] Generate(Random random)
    {
        var valid = ValidFiles[random.Next(ValidFiles.Length)];
        return Fuzz.Mutate(random, valid, HeaderTokens, maxLength: 8 << 10);
    }

    private static void ReadsOrRefuses(string path, Action read)
    {
        try
        {
            read();
        }
        catch (DataFormatException exception)
        {
            Assert.Equal(path, exception.Path);
            Assert.False(string.IsNullOrWhiteSpace(exception.Problem), "the problem is empty");
            if (exception.Problem.Length > 1_000)
            {
                Assert.Fail($"the problem is {exception.Problem.Length} characters long: {exception.Problem[..200]}...");
            }
        }
    }
}
