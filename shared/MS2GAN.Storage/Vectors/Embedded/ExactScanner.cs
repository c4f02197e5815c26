using System.Runtime.Intrinsics.X86;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The SIMD exact scan over a <see cref="SlotTable"/>: one pass over the rows answers a batch of queries, each row
/// scored for up to four queries at once (<see cref="DotKernel.Dot4"/>), split across cores on large tables. The
/// caller holds the table's read lock.
/// </summary>
internal sealed class ExactScanner(SlotTable table)
{
    private const int ParallelRowThreshold = 32_768;
    private const int PrefetchRows = 8;

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

    /// <summary>Scores one row for four queries (the first <paramref name="real"/> of them offered); the same figures <see cref="Score"/> gives for each of them.</summary>
    private static void Offer4(
        TopKCollector[] collectors, ExactScan[] batch, ReadOnlySpan<int> queries, int real,
        ReadOnlySpan<float> specific, ReadOnlySpan<float> shared, int slot)
    {
        ExactScan a = batch[queries[0]], b = batch[queries[1]], c = batch[queries[2]], d = batch[queries[3]];
        DotKernel.Dot4(specific, a.Qs, b.Qs, c.Qs, d.Qs, out var sa, out var sb, out var sc, out var sd);
        DotKernel.Dot4(shared, a.Qc, b.Qc, c.Qc, d.Qc, out var ca, out var cb, out var cc, out var cd);
        collectors[queries[0]].Offer(Weigh(a.Query.SpecificWeight, a.Query.SharedWeight, sa, ca), slot);
        if (real > 1)
        {
            collectors[queries[1]].Offer(Weigh(b.Query.SpecificWeight, b.Query.SharedWeight, sb, cb), slot);
        }

        if (real > 2)
        {
            collectors[queries[2]].Offer(Weigh(c.Query.SpecificWeight, c.Query.SharedWeight, sc, cc), slot);
        }

        if (real > 3)
        {
            collectors[queries[3]].Offer(Weigh(d.Query.SpecificWeight, d.Query.SharedWeight, sd, cd), slot);
        }
    }

    private TopKCollector[] ScanRange(int start, int end, ExactScan[] batch, HitOrder order)
    {
        var collectors = new TopKCollector[batch.Length];
        for (var q = 0; q < batch.Length; q++)
        {
            collectors[q] = new TopKCollector(batch[q].Need, order);
        }

        // The queries whose filter a row passes, scored four at a time (each row is loaded once per four). Where the
        // target is the whole filter, the row's modality alone decides, so those lists are made once per scan.
        var byModality = new int[3][];
        for (byte modality = 1; modality <= 2; modality++)
        {
            var m = modality;
            byModality[m] = [.. Enumerable.Range(0, batch.Length).Where(q => batch[q].Filter.TargetOnly && batch[q].Filter.MatchesModality(m))];
        }

        var checkEach = Enumerable.Range(0, batch.Length).Where(q => !batch[q].Filter.TargetOnly).ToArray();
        var buffer = new int[batch.Length];
        var modalities = table.Modalities;
        Span<int> group = stackalloc int[4];
        for (var slot = start; slot < end; slot++)
        {
            if (slot + PrefetchRows < end)
            {
                var ahead = modalities[slot + PrefetchRows];
                if (ahead != 0 && (byModality[ahead].Length > 0 || checkEach.Length > 0))
                {
                    Prefetch(slot + PrefetchRows);
                }
            }

            var modality = modalities[slot];
            if (modality == 0)
            {
                continue;
            }

            var active = byModality[modality];
            var count = active.Length;
            if (checkEach.Length > 0)
            {
                active.CopyTo(buffer, 0);
                foreach (var q in checkEach)
                {
                    if (table.Matches(slot, batch[q].Filter))
                    {
                        buffer[count++] = q;
                    }
                }

                active = buffer;
            }

            if (count == 1)
            {
                var scan = batch[active[0]];
                collectors[active[0]].Offer(Score(slot, scan.Query.SpecificWeight, scan.Query.SharedWeight, scan.Qs, scan.Qc), slot);
                continue;
            }

            // Groups of four; a last group of one to three is padded by repeating its last query (four dots cost
            // little more than one), and only its real queries are offered.
            var specific = table.Specific(slot);
            var shared = table.Shared(slot);
            for (var i = 0; i < count; i += 4)
            {
                var real = Math.Min(4, count - i);
                for (var g = 0; g < 4; g++)
                {
                    group[g] = active[i + Math.Min(g, real - 1)];
                }

                Offer4(collectors, batch, group, real, specific, shared, slot);
            }
        }

        return collectors;
    }

    /// <summary>
    /// Asks for a row's vectors before the scan needs them. The scan is bound by memory latency more than by its
    /// arithmetic; a few rows of lead keeps enough loads in flight (measured: 13.5 ms to scan 100,000 image rows
    /// of 128+128 dims without, see infra/scripts/bench-pipeline.sh and the `exact` benchmark).
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
