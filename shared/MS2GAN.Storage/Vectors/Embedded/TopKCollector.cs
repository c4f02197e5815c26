namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>Keeps the best <c>capacity</c> candidates in a bounded heap whose root is the worst kept one.</summary>
internal sealed class TopKCollector
{
    private readonly int _capacity;
    private readonly HitOrder _order;
    private readonly PriorityQueue<ScoredSlot, ScoredSlot> _heap;

    public TopKCollector(int capacity, HitOrder order)
    {
        _capacity = capacity;
        _order = order;
        _heap = new PriorityQueue<ScoredSlot, ScoredSlot>(
            Math.Min(capacity, 1024) + 1, Comparer<ScoredSlot>.Create((a, b) => order.Compare(b, a)));
    }

    public int Count => _heap.Count;

    /// <summary>The worst kept score once full (a candidate must reach it to be kept), null before.</summary>
    public double? Bar => _heap.Count < _capacity ? null : _heap.Peek().Score;

    /// <summary>
    /// Whether <see cref="Offer"/> would keep this candidate: a full collector rejects a lower score than its worst
    /// at the cost of one comparison (the blocked scan offers every row to every query, most of them rejected).
    /// </summary>
    public bool Admits(double score, int slot)
    {
        if (_heap.Count < _capacity)
        {
            return true;
        }

        var worst = _heap.Peek();
        return score > worst.Score || (score == worst.Score && _order.Compare(new ScoredSlot(score, slot), worst) < 0);
    }

    public void Offer(double score, int slot)
    {
        var candidate = new ScoredSlot(score, slot);
        if (_heap.Count < _capacity)
        {
            _heap.Enqueue(candidate, candidate);
        }
        else if (_order.Compare(candidate, _heap.Peek()) < 0)
        {
            _heap.DequeueEnqueue(candidate, candidate);
        }
    }

    /// <summary>Merges partitions and returns the kept candidates, best first.</summary>
    public static List<ScoredSlot> Merge(IEnumerable<TopKCollector> parts, HitOrder order)
    {
        var all = new List<ScoredSlot>();
        foreach (var part in parts)
        {
            all.AddRange(part._heap.UnorderedItems.Select(i => i.Element));
        }

        all.Sort(order);
        return all;
    }
}
