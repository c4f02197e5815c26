using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The few functions of USearch's C library (<c>libusearch_c.so</c>, shipped in the Cloud.Unum.USearch package) that
/// its C# wrapper does not bind: reserving capacity and threads so several threads can add at once, a per-index
/// search expansion that can be changed after a load or a view, and the predicate (filtered) search. Signatures and
/// the <see cref="InitOptions"/> layout follow <c>c/usearch.h</c> of <see cref="PinnedVersion"/>; the wrapper's own
/// P/Invoke struct has the same eight fields. Every import is called by UsearchNativeTests.
/// </summary>
internal static unsafe partial class UsearchNative
{
    /// <summary>The library version these bindings were written against (Directory.Packages.props pins the package).</summary>
    public const string PinnedVersion = "2.26.6";

    public const int MetricIp = 2;
    public const int ScalarF32 = 1;
    public const int ScalarI8 = 4;

    private const string Library = "libusearch_c";

    /// <summary><c>usearch_init_options_t</c>: enum (4 bytes), metric pointer, enum, four size_t, bool; 64 bytes on x64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct InitOptions
    {
        public int MetricKind;
        public nint Metric;
        public int Quantization;
        public nuint Dimensions;
        public nuint Connectivity;
        public nuint ExpansionAdd;
        public nuint ExpansionSearch;
        public byte Multi;
    }

    [LibraryImport(Library, EntryPoint = "usearch_version")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nint VersionRaw();

    [LibraryImport(Library, EntryPoint = "usearch_init")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nint InitRaw(InitOptions* options, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_free")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void FreeRaw(nint index, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_save", StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void SaveRaw(nint index, string path, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_load", StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void LoadRaw(nint index, string path, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_view", StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void ViewRaw(nint index, string path, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_size")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint SizeRaw(nint index, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_capacity")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint CapacityRaw(nint index, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_dimensions")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint DimensionsRaw(nint index, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_connectivity")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint ConnectivityRaw(nint index, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_expansion_add")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint ExpansionAddRaw(nint index, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_expansion_search")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint ExpansionSearchRaw(nint index, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_memory_usage")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint MemoryUsageRaw(nint index, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_change_expansion_add")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void ChangeExpansionAddRaw(nint index, nuint expansion, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_change_expansion_search")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void ChangeExpansionSearchRaw(nint index, nuint expansion, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_add")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void ChangeThreadsAddRaw(nint index, nuint threads, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_search")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void ChangeThreadsSearchRaw(nint index, nuint threads, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_reserve")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void ReserveRaw(nint index, nuint capacity, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_add")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial void AddRaw(nint index, ulong key, void* vector, int kind, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_contains")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool ContainsRaw(nint index, ulong key, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_remove")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint RemoveRaw(nint index, ulong key, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_get")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint GetRaw(nint index, ulong key, nuint count, void* vector, int kind, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_search")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint SearchRaw(nint index, void* query, int kind, nuint count, ulong* keys, float* distances, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_filtered_search")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial nuint FilteredSearchRaw(
        nint index, void* query, int kind, nuint count, delegate* unmanaged[Cdecl]<ulong, nint, int> filter, nint state,
        ulong* keys, float* distances, nint* error);

    /// <summary>The version string the loaded library reports (e.g. "2.26.6").</summary>
    public static string Version() => Marshal.PtrToStringUTF8(VersionRaw()) ?? "";

    /// <summary>A new, empty index; capacity and threads for this machine are reserved by the library.</summary>
    public static nint Init(int dimensions, int connectivity, int expansionAdd, int expansionSearch, int quantization)
    {
        var options = new InitOptions
        {
            MetricKind = MetricIp,
            Quantization = quantization,
            Dimensions = (nuint)dimensions,
            Connectivity = (nuint)connectivity,
            ExpansionAdd = (nuint)expansionAdd,
            ExpansionSearch = (nuint)expansionSearch,
        };
        nint error = 0;
        var index = InitRaw(&options, &error);
        Check(error, "usearch_init");
        return index;
    }

    public static void Free(nint index)
    {
        nint error = 0;
        FreeRaw(index, &error);
        Check(error, "usearch_free");
    }

    public static void Save(nint index, string path)
    {
        nint error = 0;
        SaveRaw(index, path, &error);
        Check(error, "usearch_save");
    }

    /// <summary>Reads a saved index into memory (mutable). The expansions are not in the file: set them afterwards.</summary>
    public static void Load(nint index, string path)
    {
        nint error = 0;
        LoadRaw(index, path, &error);
        Check(error, "usearch_load");
    }

    /// <summary>Maps a saved index (read-only: adds and removes fail). The expansions are not in the file: set them afterwards.</summary>
    public static void View(nint index, string path)
    {
        nint error = 0;
        ViewRaw(index, path, &error);
        Check(error, "usearch_view");
    }

    public static long Size(nint index) => (long)Call(index, &SizeRaw, "usearch_size");

    public static long Capacity(nint index) => (long)Call(index, &CapacityRaw, "usearch_capacity");

    public static int Dimensions(nint index) => (int)Call(index, &DimensionsRaw, "usearch_dimensions");

    public static int Connectivity(nint index) => (int)Call(index, &ConnectivityRaw, "usearch_connectivity");

    public static int ExpansionAdd(nint index) => (int)Call(index, &ExpansionAddRaw, "usearch_expansion_add");

    public static int ExpansionSearch(nint index) => (int)Call(index, &ExpansionSearchRaw, "usearch_expansion_search");

    public static long MemoryUsage(nint index) => (long)Call(index, &MemoryUsageRaw, "usearch_memory_usage");

    public static void ChangeExpansionAdd(nint index, int expansion) => Change(index, (nuint)expansion, &ChangeExpansionAddRaw, "usearch_change_expansion_add");

    public static void ChangeExpansionSearch(nint index, int expansion) => Change(index, (nuint)expansion, &ChangeExpansionSearchRaw, "usearch_change_expansion_search");

    public static void ChangeThreadsAdd(nint index, int threads) => Change(index, (nuint)threads, &ChangeThreadsAddRaw, "usearch_change_threads_add");

    public static void ChangeThreadsSearch(nint index, int threads) => Change(index, (nuint)threads, &ChangeThreadsSearchRaw, "usearch_change_threads_search");

    /// <summary>Reserves room for <paramref name="capacity"/> vectors in all; adds from several threads are safe only within it.</summary>
    public static void Reserve(nint index, long capacity) => Change(index, (nuint)capacity, &ReserveRaw, "usearch_reserve");

    public static void Add(nint index, ulong key, ReadOnlySpan<float> vector)
    {
        nint error = 0;
        fixed (float* v = vector)
        {
            AddRaw(index, key, v, ScalarF32, &error);
        }

        Check(error, "usearch_add");
    }

    public static bool Contains(nint index, ulong key)
    {
        nint error = 0;
        var found = ContainsRaw(index, key, &error);
        Check(error, "usearch_contains");
        return found;
    }

    public static long Remove(nint index, ulong key)
    {
        nint error = 0;
        var removed = RemoveRaw(index, key, &error);
        Check(error, "usearch_remove");
        return (long)removed;
    }

    /// <summary>Copies the vector stored under <paramref name="key"/> (as float32) into <paramref name="into"/>; false when absent.</summary>
    public static bool Get(nint index, ulong key, Span<float> into)
    {
        nint error = 0;
        nuint found;
        fixed (float* v = into)
        {
            found = GetRaw(index, key, 1, v, ScalarF32, &error);
        }

        Check(error, "usearch_get");
        return found > 0;
    }

    /// <summary>Nearest keys (inner-product distance 1 - dot), best first; returns how many were found.</summary>
    public static int Search(nint index, ReadOnlySpan<float> query, Span<ulong> keys, Span<float> distances)
    {
        nint error = 0;
        nuint found;
        fixed (float* q = query)
        fixed (ulong* k = keys)
        fixed (float* d = distances)
        {
            found = SearchRaw(index, q, ScalarF32, (nuint)keys.Length, k, d, &error);
        }

        Check(error, "usearch_search");
        return (int)found;
    }

    /// <summary>
    /// Like <see cref="Search"/>, keeping only keys for which <paramref name="filter"/> returns non-zero; the
    /// predicate runs during the graph traversal, on the calling thread, with <paramref name="state"/>.
    /// </summary>
    public static int FilteredSearch(
        nint index, ReadOnlySpan<float> query, delegate* unmanaged[Cdecl]<ulong, nint, int> filter, nint state,
        Span<ulong> keys, Span<float> distances)
    {
        nint error = 0;
        nuint found;
        fixed (float* q = query)
        fixed (ulong* k = keys)
        fixed (float* d = distances)
        {
            found = FilteredSearchRaw(index, q, ScalarF32, (nuint)keys.Length, filter, state, k, d, &error);
        }

        Check(error, "usearch_filtered_search");
        return (int)found;
    }

    private static nuint Call(nint index, delegate*<nint, nint*, nuint> function, string name)
    {
        nint error = 0;
        var value = function(index, &error);
        Check(error, name);
        return value;
    }

    private static void Change(nint index, nuint value, delegate*<nint, nuint, nint*, void> function, string name)
    {
        nint error = 0;
        function(index, value, &error);
        Check(error, name);
    }

    private static void Check(nint error, string function)
    {
        if (error != 0)
        {
            throw new UsearchException($"{function}: {Marshal.PtrToStringUTF8(error)}");
        }
    }
}
