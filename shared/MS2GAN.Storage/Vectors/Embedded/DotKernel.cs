using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// Dot products of a stored row with one query, and of three rows with four queries (the tile the blocked exact scan
/// is made of). The tile loads each piece of a row, and of a query, once for several products (an exact scan of a
/// batch of queries is bound by these loads), and adds up in exactly the order of the one-query form, so both give
/// bit-identical results: a hit scores the same whichever path found it.
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

    /// <summary>
    /// Dot products of three rows with four queries (twelve, row-major into <paramref name="dots"/>), all of
    /// <paramref name="length"/>: each piece of a row is loaded once for four queries and each piece of a query once
    /// for three rows, so per value loaded it does about two multiply-adds where a row-by-four-queries kernel does one. Each
    /// product adds up in exactly the order of <see cref="Dot"/>, so all three give bit-identical results.
    /// </summary>
    public static void Dot3x4(
        ref float row0, ref float row1, ref float row2, ref float query0, ref float query1, ref float query2, ref float query3,
        int length, Span<float> dots)
    {
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector256<float> a20 = default, a21 = default, a22 = default, a23 = default;
        var i = 0;
        for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var r0 = Load(ref row0, i);
            var r1 = Load(ref row1, i);
            var r2 = Load(ref row2, i);
            var q = Load(ref query0, i);
            a00 = Vector256.FusedMultiplyAdd(r0, q, a00);
            a10 = Vector256.FusedMultiplyAdd(r1, q, a10);
            a20 = Vector256.FusedMultiplyAdd(r2, q, a20);
            q = Load(ref query1, i);
            a01 = Vector256.FusedMultiplyAdd(r0, q, a01);
            a11 = Vector256.FusedMultiplyAdd(r1, q, a11);
            a21 = Vector256.FusedMultiplyAdd(r2, q, a21);
            q = Load(ref query2, i);
            a02 = Vector256.FusedMultiplyAdd(r0, q, a02);
            a12 = Vector256.FusedMultiplyAdd(r1, q, a12);
            a22 = Vector256.FusedMultiplyAdd(r2, q, a22);
            q = Load(ref query3, i);
            a03 = Vector256.FusedMultiplyAdd(r0, q, a03);
            a13 = Vector256.FusedMultiplyAdd(r1, q, a13);
            a23 = Vector256.FusedMultiplyAdd(r2, q, a23);
        }

        dots[0] = Vector256.Sum(a00);
        dots[1] = Vector256.Sum(a01);
        dots[2] = Vector256.Sum(a02);
        dots[3] = Vector256.Sum(a03);
        dots[4] = Vector256.Sum(a10);
        dots[5] = Vector256.Sum(a11);
        dots[6] = Vector256.Sum(a12);
        dots[7] = Vector256.Sum(a13);
        dots[8] = Vector256.Sum(a20);
        dots[9] = Vector256.Sum(a21);
        dots[10] = Vector256.Sum(a22);
        dots[11] = Vector256.Sum(a23);
        for (; i < length; i++)
        {
            float x0 = Unsafe.Add(ref row0, i), x1 = Unsafe.Add(ref row1, i), x2 = Unsafe.Add(ref row2, i);
            float y0 = Unsafe.Add(ref query0, i), y1 = Unsafe.Add(ref query1, i), y2 = Unsafe.Add(ref query2, i), y3 = Unsafe.Add(ref query3, i);
            dots[0] = MathF.FusedMultiplyAdd(x0, y0, dots[0]);
            dots[1] = MathF.FusedMultiplyAdd(x0, y1, dots[1]);
            dots[2] = MathF.FusedMultiplyAdd(x0, y2, dots[2]);
            dots[3] = MathF.FusedMultiplyAdd(x0, y3, dots[3]);
            dots[4] = MathF.FusedMultiplyAdd(x1, y0, dots[4]);
            dots[5] = MathF.FusedMultiplyAdd(x1, y1, dots[5]);
            dots[6] = MathF.FusedMultiplyAdd(x1, y2, dots[6]);
            dots[7] = MathF.FusedMultiplyAdd(x1, y3, dots[7]);
            dots[8] = MathF.FusedMultiplyAdd(x2, y0, dots[8]);
            dots[9] = MathF.FusedMultiplyAdd(x2, y1, dots[9]);
            dots[10] = MathF.FusedMultiplyAdd(x2, y2, dots[10]);
            dots[11] = MathF.FusedMultiplyAdd(x2, y3, dots[11]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(ref float start, int offset) => Vector256.LoadUnsafe(ref start, (nuint)offset);
}
