using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The SIMD exact scan over a <see cref="SlotTable"/>: one pass over the rows answers a batch of queries, blocks of
/// rows scored against tiles of queries (<see cref="DotKernel.Dot3x4"/>, GEMM-shaped), split across cores on large
/// tables. The caller holds the table's read lock.
/// </summary>
internal sealed class ExactScanner(SlotTable table)
{
    private const int ParallelRowThreshold = 32_768;

    /// <summary>Rows of one modality scored together against every tile of queries (48 KB of 128+128-dim rows: in L2).</summary>
    private const int BlockRows = 48;

    /// <summary>The ranked candidates of each query of <paramref name="batch"/> (its best <c>Need</c>, best first).</summary>
    public List<ScoredSlot>[] Scan(ExactScan[] batch)
    {
        var order = table.Order;
        var rows = table.SlotCount;
        var partitions = rows >= ParallelRowThreshold ? Math.Min(Environment.ProcessorCount, rows / (ParallelRowThreshold / 2)) : 1;
        var collectors = new TopKCollector[Math.Max(1, partitions)][];
        if (collectors.Length == 1)
        {
            collectors[0] = ScanRange(0, rows, batch, order);
        }
        else
        {
            var chunk = (rows + collectors.Length - 1) / collectors.Length;
            Parallel.For(0, collectors.Length, p => collectors[p] = ScanRange(p * chunk, Math.Min(rows, (p + 1) * chunk), batch, order));
        }

        var ranked = new List<ScoredSlot>[batch.Length];
        for (var q = 0; q < batch.Length; q++)
        {
            ranked[q] = TopKCollector.Merge(collectors.Select(part => part[q]), order);
        }

        return ranked;
    }

    /// <summary>A row's score for one query; the same figure the batched scan gives.</summary>
    public double Score(int slot, double ws, double wc, float[] qs, float[] qc) => Weigh(
        ws,
        wc,
        ws != 0 ? DotKernel.Dot(table.Specific(slot), qs) : 0,
        wc != 0 ? DotKernel.Dot(table.Shared(slot), qc) : 0);

    /// <summary>The weighted score from the two dot products; a term whose weight is 0 is left out.</summary>
    private static double Weigh(double ws, double wc, float specificDot, float sharedDot)
    {
        var score = 0d;
        if (ws != 0)
        {
            score += ws * specificDot;
        }

        if (wc != 0)
        {
            score += wc * sharedDot;
        }

        return score;
    }

    private TopKCollector[] ScanRange(int start, int end, ExactScan[] batch, HitOrder order)
    {
        var collectors = new TopKCollector[batch.Length];
        var check = new bool[batch.Length];
        for (var q = 0; q < batch.Length; q++)
        {
            collectors[q] = new TopKCollector(batch[q].Need, order);
            check[q] = !batch[q].Filter.TargetOnly;
        }

        // One sweep per modality over the rows of that modality, a block at a time, scored against the queries whose
        // target takes that modality, a tile of three rows by four queries at a time: a block stays in cache while
        // every tile of queries passes over it, so each row comes from memory once per pass whatever the number of
        // queries. Labels, metadata and the excluded item are checked only for a row whose score would be kept.
        var modalities = table.Modalities;
        var block = new int[BlockRows];
        for (byte modality = 1; modality <= 2; modality++)
        {
            var m = modality;
            int[] active = [.. Enumerable.Range(0, batch.Length).Where(q => batch[q].Filter.MatchesModality(m))];
            if (active.Length == 0)
            {
                continue;
            }

            var rows = 0;
            for (var slot = start; slot < end; slot++)
            {
                if (modalities[slot] != modality)
                {
                    continue;
                }

                Prefetch(slot);
                block[rows++] = slot;
                if (rows == BlockRows)
                {
                    ScoreBlock(block, rows, active, batch, collectors, check);
                    rows = 0;
                }
            }

            if (rows > 0)
            {
                ScoreBlock(block, rows, active, batch, collectors, check);
            }
        }

        return collectors;
    }

    /// <summary>Scores <paramref name="rows"/> slots of <paramref name="block"/> for the <paramref name="active"/> queries.</summary>
    private void ScoreBlock(int[] block, int rows, int[] active, ExactScan[] batch, TopKCollector[] collectors, bool[] check)
    {
        if (active.Length == 1)
        {
            var q = active[0];
            var scan = batch[q];
            for (var r = 0; r < rows; r++)
            {
                Offer(collectors[q], scan, check[q], Score(block[r], scan.Query.SpecificWeight, scan.Query.SharedWeight, scan.Qs, scan.Qc), block[r]);
            }

            return;
        }

        Span<float> specific = stackalloc float[12];
        Span<float> shared = stackalloc float[12];
        Span<int> queries = stackalloc int[4];
        Span<int> slots = stackalloc int[3];
        for (var i = 0; i < active.Length; i += 4)
        {
            // A last tile of one to three queries (or rows) repeats its last one; only the real ones are offered.
            var realQueries = Math.Min(4, active.Length - i);
            for (var g = 0; g < 4; g++)
            {
                queries[g] = active[i + Math.Min(g, realQueries - 1)];
            }

            ExactScan a = batch[queries[0]], b = batch[queries[1]], c = batch[queries[2]], d = batch[queries[3]];
            for (var r = 0; r < rows; r += 3)
            {
                var realRows = Math.Min(3, rows - r);
                for (var k = 0; k < 3; k++)
                {
                    slots[k] = block[r + Math.Min(k, realRows - 1)];
                }

                DotKernel.Dot3x4(
                    ref Row(table.Specific(slots[0])), ref Row(table.Specific(slots[1])), ref Row(table.Specific(slots[2])),
                    ref Row(a.Qs), ref Row(b.Qs), ref Row(c.Qs), ref Row(d.Qs), table.SpecificDim, specific);
                DotKernel.Dot3x4(
                    ref Row(table.Shared(slots[0])), ref Row(table.Shared(slots[1])), ref Row(table.Shared(slots[2])),
                    ref Row(a.Qc), ref Row(b.Qc), ref Row(c.Qc), ref Row(d.Qc), table.SharedDim, shared);
                for (var k = 0; k < realRows; k++)
                {
                    for (var g = 0; g < realQueries; g++)
                    {
                        var q = queries[g];
                        var scan = batch[q];
                        var score = Weigh(scan.Query.SpecificWeight, scan.Query.SharedWeight, specific[(k * 4) + g], shared[(k * 4) + g]);
                        Offer(collectors[q], scan, check[q], score, slots[k]);
                    }
                }
            }
        }
    }

    /// <summary>Keeps a scored row for a query if it ranks among its best so far and passes the rest of its filter.</summary>
    private void Offer(TopKCollector collector, ExactScan scan, bool check, double score, int slot)
    {
        if (collector.Admits(score, slot) && (!check || table.Matches(slot, scan.Filter)))
        {
            collector.Offer(score, slot);
        }
    }

    private static ref float Row(ReadOnlySpan<float> row) => ref MemoryMarshal.GetReference(row);

    /// <summary>
    /// Asks for a row's vectors when it joins a block, before the block is scored. The scan is bound by memory
    /// latency more than by its arithmetic; the lead of a block keeps enough loads in flight (measured before the
    /// blocks: 13.5 ms to scan 100,000 image rows of 128+128 dims without, see the `exact` benchmark).
    /// </summary>
    private unsafe void Prefetch(int slot)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        fixed (float* specific = table.Specific(slot), shared = table.Shared(slot))
        {
            for (var offset = 0; offset < table.SpecificDim; offset += 16)
            {
                Sse.Prefetch0(specific + offset);
            }

            for (var offset = 0; offset < table.SharedDim; offset += 16)
            {
                Sse.Prefetch0(shared + offset);
            }
        }
    }
}
