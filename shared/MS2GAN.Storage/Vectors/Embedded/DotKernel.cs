using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// Dot products of a stored row with one query or with four at once. The four-query form loads each piece of
/// the row once for all four (an exact scan of a batch of queries is bound by these loads), and it adds up in
/// exactly the order of the one-query form, so both give bit-identical results: a hit scores the same whichever
/// path found it.
/// </summary>
internal static class DotKernel
{
    public static float Dot(ReadOnlySpan<float> row, ReadOnlySpan<float> query)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var q = ref MemoryMarshal.GetReference(query);
        var length = row.Length;
        var acc = Vector256<float>.Zero;
        var i = 0;
        for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            acc = Vector256.FusedMultiplyAdd(Load(ref r, i), Load(ref q, i), acc);
        }

        var sum = Vector256.Sum(acc);
        for (; i < length; i++)
        {
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref r, i), Unsafe.Add(ref q, i), sum);
        }

        return sum;
    }

    /// <summary>Dot products of <paramref name="row"/> with four queries of its length.</summary>
    public static void Dot4(
        ReadOnlySpan<float> row, ReadOnlySpan<float> query0, ReadOnlySpan<float> query1, ReadOnlySpan<float> query2, ReadOnlySpan<float> query3,
        out float dot0, out float dot1, out float dot2, out float dot3)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var q0 = ref MemoryMarshal.GetReference(query0);
        ref var q1 = ref MemoryMarshal.GetReference(query1);
        ref var q2 = ref MemoryMarshal.GetReference(query2);
        ref var q3 = ref MemoryMarshal.GetReference(query3);
        var length = row.Length;
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        var acc2 = Vector256<float>.Zero;
        var acc3 = Vector256<float>.Zero;
        var i = 0;
        for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var v = Load(ref r, i);
            acc0 = Vector256.FusedMultiplyAdd(v, Load(ref q0, i), acc0);
            acc1 = Vector256.FusedMultiplyAdd(v, Load(ref q1, i), acc1);
            acc2 = Vector256.FusedMultiplyAdd(v, Load(ref q2, i), acc2);
            acc3 = Vector256.FusedMultiplyAdd(v, Load(ref q3, i), acc3);
        }

        dot0 = Vector256.Sum(acc0);
        dot1 = Vector256.Sum(acc1);
        dot2 = Vector256.Sum(acc2);
        dot3 = Vector256.Sum(acc3);
        for (; i < length; i++)
        {
            var x = Unsafe.Add(ref r, i);
            dot0 = MathF.FusedMultiplyAdd(x, Unsafe.Add(ref q0, i), dot0);
            dot1 = MathF.FusedMultiplyAdd(x, Unsafe.Add(ref q1, i), dot1);
            dot2 = MathF.FusedMultiplyAdd(x, Unsafe.Add(ref q2, i), dot2);
            dot3 = MathF.FusedMultiplyAdd(x, Unsafe.Add(ref q3, i), dot3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(ref float start, int offset) => Vector256.LoadUnsafe(ref start, (nuint)offset);
}
