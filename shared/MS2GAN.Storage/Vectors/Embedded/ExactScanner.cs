using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The SIMD exact scan over a <see cref="SlotTable"/>: one pass over the rows answers a batch of queries, blocks of
/// rows screened against panels of queries (<see cref="DotKernel.Tile"/>, GEMM-shaped) and what passes scored exactly
/// (<see cref="DotKernel.Dot"/>, as a query alone is), split across cores on large tables. The caller holds the table's
/// read lock.
/// </summary>
internal sealed class ExactScanner(SlotTable table)
{
    private const int ParallelRowThreshold = 32_768;

    /// <summary>Rows of one modality scored together against every tile of queries (48 KB of 128+128-dim rows: in L2).</summary>
    private const int BlockRows = 48;

    /// <summary>
    /// How many rows ahead a query alone asks for the vectors it will read (measured with the `exact` benchmark, 50,000
    /// items, one caller: 155-180 q/s without, 223-324 with 8 rows; 4, 16 and 32 within the noise of 8).
    /// </summary>
    private const int Lead = 8;

    /// <summary>The ranked candidates of each query of <paramref name="batch"/> (its best <c>Need</c>, best first).</summary>
    public List<ScoredSlot>[] Scan(ExactScan[] batch)
    {
        var order = table.Order;
        var rows = table.SlotCount;
        var partitions = rows >= ParallelRowThreshold ? Math.Min(Environment.ProcessorCount, rows / (ParallelRowThreshold / 2)) : 1;
        var collectors = new TopKCollector[Math.Max(1, partitions)][];
        // Per modality (image, text), the queries whose target takes it, and their panels (none for a query alone).
        int[][] active = [.. new byte[] { 1, 2 }.Select(m => Enumerable.Range(0, batch.Length).Where(q => batch[q].Filter.MatchesModality(m)).ToArray())];
        QueryPanel[][] panels = [.. active.Select(a => a.Length < 2 ? [] : QueryPanel.Pack(batch, a, table.SpecificDim, table.SharedDim))];
        if (collectors.Length == 1)
        {
            collectors[0] = ScanRange(0, rows, batch, active, panels, order);
        }
        else
        {
            var chunk = (rows + collectors.Length - 1) / collectors.Length;
            Parallel.For(0, collectors.Length, p => collectors[p] = ScanRange(p * chunk, Math.Min(rows, (p + 1) * chunk), batch, active, panels, order));
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

    private unsafe TopKCollector[] ScanRange(int start, int end, ExactScan[] batch, int[][] active, QueryPanel[][] panels, HitOrder order)
    {
        var collectors = new TopKCollector[batch.Length];
        var check = new bool[batch.Length];
        for (var q = 0; q < batch.Length; q++)
        {
            collectors[q] = new TopKCollector(batch[q].Need, order);
            check[q] = !batch[q].Filter.TargetOnly;
        }

        // One sweep per modality over the rows of that modality, a block at a time, screened against every panel of the
        // queries whose target takes that modality: a block stays in cache while every panel passes over it, so each
        // row comes from memory once per pass whatever the number of queries. A row whose screening score clears a
        // query's bar is scored exactly; labels, metadata and the excluded item are checked only for a row whose score
        // would be kept.
        var modalities = table.Modalities;
        var block = new int[BlockRows];
        fixed (float* specific = table.SpecificRows, shared = table.SharedRows)
        {
            for (byte modality = 1; modality <= 2; modality++)
            {
                if (active[modality - 1].Length == 0)
                {
                    continue;
                }

                var modalityPanels = panels[modality - 1];
                if (modalityPanels.Length == 0)
                {
                    var q = active[modality - 1][0];
                    ScanAlone(start, end, modality, batch[q], collectors[q], check[q], specific, shared);
                    continue;
                }

                var pass = new Pass(batch, modalityPanels, [.. modalityPanels.Select(p => p.OpenBars())], collectors, check, specific, shared);
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
                        ScoreBlock(block, rows, pass);
                        rows = 0;
                    }
                }

                if (rows > 0)
                {
                    ScoreBlock(block, rows, pass);
                }
            }
        }

        return collectors;
    }

    /// <summary>
    /// A query alone over the rows of <paramref name="modality"/> in [start, end): each row's two dot products straight
    /// from the table, and only a score that reaches the worst kept one goes to the collector.
    /// </summary>
    private unsafe void ScanAlone(int start, int end, byte modality, ExactScan scan, TopKCollector collector, bool check, float* specific, float* shared)
    {
        var modalities = table.Modalities;
        int ds = table.SpecificDim, dc = table.SharedDim;
        double ws = scan.Query.SpecificWeight, wc = scan.Query.SharedWeight;
        var bar = collector.Bar ?? double.NegativeInfinity;
        for (var slot = start; slot < end; slot++)
        {
            if (slot + Lead < end)
            {
                Prefetch(slot + Lead);
            }

            if (modalities[slot] != modality)
            {
                continue;
            }

            var score = Weigh(
                ws,
                wc,
                ws != 0 ? DotKernel.Dot(new ReadOnlySpan<float>(specific + ((nint)slot * ds), ds), scan.Qs) : 0,
                wc != 0 ? DotKernel.Dot(new ReadOnlySpan<float>(shared + ((nint)slot * dc), dc), scan.Qc) : 0);
            if (score >= bar)
            {
                Offer(collector, scan, check, score, slot);
                bar = collector.Bar ?? double.NegativeInfinity;
            }
        }
    }

    /// <summary>What a partition's sweep over one modality works with: its queries, their panels and bars, its collectors.</summary>
    private sealed unsafe class Pass(
        ExactScan[] batch, QueryPanel[] panels, float[][] bars, TopKCollector[] collectors, bool[] check, float* specific, float* shared)
    {
        public ExactScan[] Batch { get; } = batch;

        public QueryPanel[] Panels { get; } = panels;

        /// <summary>Per panel lane, the screening score a row must reach: the query's worst kept score minus the panel's margin.</summary>
        public float[][] Bars { get; } = bars;

        public TopKCollector[] Collectors { get; } = collectors;

        public bool[] Check { get; } = check;

        public float* Specific { get; } = specific;

        public float* Shared { get; } = shared;
    }

    /// <summary>Scores <paramref name="rows"/> slots of <paramref name="block"/> for the queries of <paramref name="pass"/>.</summary>
    private unsafe void ScoreBlock(int[] block, int rows, Pass pass)
    {
        var slots = stackalloc int[DotKernel.TileRows];
        var scores = stackalloc float[DotKernel.TileRows * 16];
        for (var p = 0; p < pass.Panels.Length; p++)
        {
            var panel = pass.Panels[p];
            for (var r = 0; r < rows; r += DotKernel.TileRows)
            {
                // A last tile of fewer rows repeats its last one; only the real ones are screened.
                var realRows = Math.Min(DotKernel.TileRows, rows - r);
                for (var k = 0; k < DotKernel.TileRows; k++)
                {
                    slots[k] = block[r + Math.Min(k, realRows - 1)];
                }

                DotKernel.Tile(panel, pass.Specific, pass.Shared, table.SpecificDim, table.SharedDim, slots, scores);
                for (var k = 0; k < realRows; k++)
                {
                    Screen(pass, p, scores + (k * panel.Width), slots[k]);
                }
            }
        }
    }

    /// <summary>Scores a row exactly for each query of panel <paramref name="p"/> whose bar its screening score clears.</summary>
    private unsafe void Screen(Pass pass, int p, float* scores, int slot)
    {
        var panel = pass.Panels[p];
        var bars = pass.Bars[p];
        var passed = 0u;
        for (var lane = 0; lane < panel.Width; lane += Vector256<float>.Count)
        {
            var clears = Vector256.GreaterThanOrEqual(Vector256.Load(scores + lane), Vector256.LoadUnsafe(ref bars[lane]));
            passed |= clears.ExtractMostSignificantBits() << lane;
        }

        while (passed != 0)
        {
            var lane = BitOperations.TrailingZeroCount(passed);
            passed &= passed - 1;
            var q = panel.Queries[lane];
            var scan = pass.Batch[q];
            var collector = pass.Collectors[q];
            Offer(collector, scan, pass.Check[q], Score(slot, scan.Query.SpecificWeight, scan.Query.SharedWeight, scan.Qs, scan.Qc), slot);
            if (collector.Bar is { } worst)
            {
                bars[lane] = (float)(worst - panel.Margins[lane]);
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
