using System.Runtime.InteropServices;
using MS2GAN.Storage.Vectors.Embedded;

namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>Every function UsearchNative imports from libusearch_c, called against the library the package ships.</summary>
public sealed unsafe class UsearchNativeTests : IDisposable
{
    private const int Dim = 16;
    private readonly string _folder = Directory.CreateTempSubdirectory("ms2gan-usearch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_loaded_library_is_the_pinned_version()
    {
        Assert.Equal(UsearchNative.PinnedVersion, UsearchNative.Version());
        Assert.Equal(64, Marshal.SizeOf<UsearchNative.InitOptions>());
    }

    [Fact]
    public void Init_keeps_the_options_and_the_change_functions_change_them()
    {
        var index = UsearchNative.Init(Dim, connectivity: 12, expansionAdd: 90, expansionSearch: 33, UsearchNative.ScalarF32);
        try
        {
            Assert.Equal((Dim, 12, 90, 33), (UsearchNative.Dimensions(index), UsearchNative.Connectivity(index),
                UsearchNative.ExpansionAdd(index), UsearchNative.ExpansionSearch(index)));
            UsearchNative.ChangeExpansionAdd(index, 70);
            UsearchNative.ChangeExpansionSearch(index, 21);
            UsearchNative.ChangeThreadsAdd(index, 3);
            UsearchNative.ChangeThreadsSearch(index, 5);
            UsearchNative.Reserve(index, 1000);
            Assert.Equal((70, 21), (UsearchNative.ExpansionAdd(index), UsearchNative.ExpansionSearch(index)));
            Assert.True(UsearchNative.Capacity(index) >= 1000);
            Assert.True(UsearchNative.MemoryUsage(index) > 0);
        }
        finally
        {
            UsearchNative.Free(index);
        }
    }

    [Fact]
    public void Add_get_contains_remove_search_and_filtered_search_work_on_one_index()
    {
        var vectors = Vectors(200, seed: 1);
        var index = Filled(vectors);
        try
        {
            Assert.Equal(200, UsearchNative.Size(index));
            Assert.True(UsearchNative.Contains(index, 7));
            var copy = new float[Dim];
            Assert.True(UsearchNative.Get(index, 7, copy));
            Assert.Equal(vectors[7], copy);

            var keys = new ulong[5];
            var distances = new float[5];
            Assert.Equal(5, UsearchNative.Search(index, vectors[42], keys, distances));
            Assert.Equal(42ul, keys[0]);
            Assert.Equal(0f, distances[0], 4);

            // Only odd keys pass: the query's own (even) key is left out during the traversal.
            Assert.Equal(5, UsearchNative.FilteredSearch(index, vectors[42], &OddKeysOnly, 0, keys, distances));
            Assert.All(keys, key => Assert.Equal(1ul, key % 2));

            Assert.Equal(1, UsearchNative.Remove(index, 42));
            Assert.False(UsearchNative.Contains(index, 42));
            Assert.False(UsearchNative.Get(index, 42, copy));
            Assert.Equal(199, UsearchNative.Size(index));
        }
        finally
        {
            UsearchNative.Free(index);
        }
    }

    [Fact]
    public void A_saved_index_loads_and_views_with_its_vectors_but_with_the_default_expansion_until_it_is_changed()
    {
        var vectors = Vectors(300, seed: 2);
        var path = Path.Combine(_folder, "saved.usearch");
        var saved = Filled(vectors, expansionSearch: 200);
        UsearchNative.Save(saved, path);
        UsearchNative.Free(saved);

        foreach (var view in new[] { false, true })
        {
            var index = UsearchNative.Init(Dim, 16, 128, 0, UsearchNative.ScalarF32);
            try
            {
                if (view)
                {
                    UsearchNative.View(index, path);
                }
                else
                {
                    UsearchNative.Load(index, path);
                }

                Assert.Equal(300, UsearchNative.Size(index));
                var keys = new ulong[1];
                Assert.Equal(1, UsearchNative.Search(index, vectors[123], keys, new float[1]));
                Assert.Equal(123ul, keys[0]);

                // The file does not carry the search expansion: this is why a reopened graph searched with ef 64.
                Assert.Equal(64, UsearchNative.ExpansionSearch(index));
                UsearchNative.ChangeExpansionSearch(index, 17);
                Assert.Equal(17, UsearchNative.ExpansionSearch(index));
            }
            finally
            {
                UsearchNative.Free(index);
            }
        }
    }

    [Fact]
    public void Adds_from_four_threads_keep_every_key_once_and_the_recall_of_serial_adds()
    {
        const int count = 6000;
        var vectors = Vectors(count, seed: 3);
        var serial = Filled(vectors);
        var parallel = UsearchNative.Init(Dim, 16, 128, 64, UsearchNative.ScalarF32);
        try
        {
            UsearchNative.Reserve(parallel, count);
            UsearchNative.ChangeThreadsAdd(parallel, 4);
            UsearchNative.ChangeThreadsSearch(parallel, 4);
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
            {
                for (var i = worker; i < count; i += 4)
                {
                    UsearchNative.Add(parallel, (ulong)i, vectors[i]);
                }
            });

            Assert.Equal(count, UsearchNative.Size(parallel));
            var copy = new float[Dim];
            for (var i = 0; i < count; i++)
            {
                Assert.True(UsearchNative.Get(parallel, (ulong)i, copy), $"key {i} lost");
                Assert.Equal(vectors[i], copy);
            }

            var queries = Vectors(100, seed: 4);
            var serialRecall = Recall(serial, vectors, queries);
            var parallelRecall = Recall(parallel, vectors, queries);
            Assert.True(serialRecall >= 0.95, $"serial recall@10 {serialRecall:F3}");
            Assert.True(parallelRecall >= serialRecall - 0.02, $"parallel recall@10 {parallelRecall:F3}, serial {serialRecall:F3}");
        }
        finally
        {
            UsearchNative.Free(serial);
            UsearchNative.Free(parallel);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static int OddKeysOnly(ulong key, nint state) => (int)(key % 2);

    private static nint Filled(float[][] vectors, int expansionSearch = 64)
    {
        var index = UsearchNative.Init(Dim, 16, 128, expansionSearch, UsearchNative.ScalarF32);
        UsearchNative.Reserve(index, vectors.Length);
        for (var i = 0; i < vectors.Length; i++)
        {
            UsearchNative.Add(index, (ulong)i, vectors[i]);
        }

        return index;
    }

    private static double Recall(nint index, float[][] vectors, float[][] queries)
    {
        var found = 0;
        var keys = new ulong[10];
        foreach (var query in queries)
        {
            var exact = Enumerable.Range(0, vectors.Length)
                .OrderByDescending(i => System.Numerics.Tensors.TensorPrimitives.Dot(vectors[i], query)).Take(10).Select(i => (ulong)i).ToHashSet();
            var n = UsearchNative.Search(index, query, keys, new float[10]);
            found += keys.Take(n).Count(exact.Contains);
        }

        return found / (10.0 * queries.Length);
    }

    private static float[][] Vectors(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            // Unit length, so the inner product ranks a vector first for itself.
            var v = VectorCorpus.RandomVector(random, Dim);
            System.Numerics.Tensors.TensorPrimitives.Divide(v, System.Numerics.Tensors.TensorPrimitives.Norm(v), v);
            return v;
        })];
    }
}
