using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The exact scan's arithmetic: the dot product of a stored row with one query (<see cref="Dot"/>, the figure every hit
/// is scored with), and the GEMM-shaped tile a batch of queries is screened with (<see cref="Tile"/>: six rows against
/// a <see cref="QueryPanel"/> of 8 or 16 queries, each value of a row broadcast once for all of them).
/// </summary>
internal static class DotKernel
{
    /// <summary>Rows in one tile: six rows by two vectors of queries keep twelve accumulators in registers.</summary>
    public const int TileRows = 6;

    public static float Dot(ReadOnlySpan<float> row, ReadOnlySpan<float> query)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var q = ref MemoryMarshal.GetReference(query);
        var length = row.Length;
        var acc = Vector256<float>.Zero;
        var i = 0;
        for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)i), Vector256.LoadUnsafe(ref q, (nuint)i), acc);
        }

        var sum = Vector256.Sum(acc);
        for (; i < length; i++)
        {
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref r, i), Unsafe.Add(ref q, i), sum);
        }

        return sum;
    }

    /// <summary>
    /// The weighted scores of <see cref="TileRows"/> rows (<paramref name="slots"/>) against every query of
    /// <paramref name="panel"/>, row-major into <paramref name="scores"/> (<c>TileRows * panel.Width</c> values): for each
    /// dimension, a row's value is broadcast and multiplied into the panel's line of queries, so a row is loaded once per
    /// panel and no horizontal sums are needed. The sums run in another order than <see cref="Dot"/>'s, so a score
    /// differs from the exact one by up to <see cref="QueryPanel.Margin"/>: the scan screens with these and scores
    /// what passes with <see cref="Dot"/>.
    /// </summary>
    public static unsafe void Tile(QueryPanel panel, float* specific, float* shared, int specificDim, int sharedDim, int* slots, float* scores)
    {
        new Span<float>(scores, TileRows * panel.Width).Clear();
        var rows = stackalloc float*[TileRows];
        fixed (float* lines = panel.Lines)
        {
            // The specific dimensions, then the shared ones, into the same sums.
            for (var part = 0; part < 2; part++)
            {
                var table = part == 0 ? specific : shared;
                var dim = part == 0 ? specificDim : sharedDim;
                var first = part == 0 ? lines : lines + (specificDim * panel.Width);
                for (var r = 0; r < TileRows; r++)
                {
                    rows[r] = table + ((nint)slots[r] * dim);
                }

                if (panel.Width == 16)
                {
                    Add16(first, rows, dim, scores);
                }
                else
                {
                    Add8(first, rows, dim, scores);
                }
            }
        }
    }

    /// <summary>Adds six rows' products with a 16-lane panel over <paramref name="dim"/> dimensions to <paramref name="scores"/>.</summary>
    private static unsafe void Add16(float* lines, float** rows, int dim, float* scores)
    {
        float* r0 = rows[0], r1 = rows[1], r2 = rows[2], r3 = rows[3], r4 = rows[4], r5 = rows[5];
        Vector256<float> a00 = Vector256.Load(scores), a01 = Vector256.Load(scores + 8), a10 = Vector256.Load(scores + 16), a11 = Vector256.Load(scores + 24);
        Vector256<float> a20 = Vector256.Load(scores + 32), a21 = Vector256.Load(scores + 40), a30 = Vector256.Load(scores + 48), a31 = Vector256.Load(scores + 56);
        Vector256<float> a40 = Vector256.Load(scores + 64), a41 = Vector256.Load(scores + 72), a50 = Vector256.Load(scores + 80), a51 = Vector256.Load(scores + 88);
        var p = lines;
        for (var k = 0; k < dim; k++, p += 16)
        {
            var q0 = Vector256.Load(p);
            var q1 = Vector256.Load(p + 8);
            var b = Vector256.Create(r0[k]);
            a00 = Vector256.FusedMultiplyAdd(b, q0, a00);
            a01 = Vector256.FusedMultiplyAdd(b, q1, a01);
            b = Vector256.Create(r1[k]);
            a10 = Vector256.FusedMultiplyAdd(b, q0, a10);
            a11 = Vector256.FusedMultiplyAdd(b, q1, a11);
            b = Vector256.Create(r2[k]);
            a20 = Vector256.FusedMultiplyAdd(b, q0, a20);
            a21 = Vector256.FusedMultiplyAdd(b, q1, a21);
            b = Vector256.Create(r3[k]);
            a30 = Vector256.FusedMultiplyAdd(b, q0, a30);
            a31 = Vector256.FusedMultiplyAdd(b, q1, a31);
            b = Vector256.Create(r4[k]);
            a40 = Vector256.FusedMultiplyAdd(b, q0, a40);
            a41 = Vector256.FusedMultiplyAdd(b, q1, a41);
            b = Vector256.Create(r5[k]);
            a50 = Vector256.FusedMultiplyAdd(b, q0, a50);
            a51 = Vector256.FusedMultiplyAdd(b, q1, a51);
        }

        a00.Store(scores);
        a01.Store(scores + 8);
        a10.Store(scores + 16);
        a11.Store(scores + 24);
        a20.Store(scores + 32);
        a21.Store(scores + 40);
        a30.Store(scores + 48);
        a31.Store(scores + 56);
        a40.Store(scores + 64);
        a41.Store(scores + 72);
        a50.Store(scores + 80);
        a51.Store(scores + 88);
    }

    /// <summary>Adds six rows' products with an 8-lane panel over <paramref name="dim"/> dimensions to <paramref name="scores"/>.</summary>
    private static unsafe void Add8(float* lines, float** rows, int dim, float* scores)
    {
        float* r0 = rows[0], r1 = rows[1], r2 = rows[2], r3 = rows[3], r4 = rows[4], r5 = rows[5];
        Vector256<float> a0 = Vector256.Load(scores), a1 = Vector256.Load(scores + 8), a2 = Vector256.Load(scores + 16);
        Vector256<float> a3 = Vector256.Load(scores + 24), a4 = Vector256.Load(scores + 32), a5 = Vector256.Load(scores + 40);
        var p = lines;
        for (var k = 0; k < dim; k++, p += 8)
        {
            var q = Vector256.Load(p);
            a0 = Vector256.FusedMultiplyAdd(Vector256.Create(r0[k]), q, a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.Create(r1[k]), q, a1);
            a2 = Vector256.FusedMultiplyAdd(Vector256.Create(r2[k]), q, a2);
            a3 = Vector256.FusedMultiplyAdd(Vector256.Create(r3[k]), q, a3);
            a4 = Vector256.FusedMultiplyAdd(Vector256.Create(r4[k]), q, a4);
            a5 = Vector256.FusedMultiplyAdd(Vector256.Create(r5[k]), q, a5);
        }

        a0.Store(scores);
        a1.Store(scores + 8);
        a2.Store(scores + 16);
        a3.Store(scores + 24);
        a4.Store(scores + 32);
        a5.Store(scores + 40);
    }
}
