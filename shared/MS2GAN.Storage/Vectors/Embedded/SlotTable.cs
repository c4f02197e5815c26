namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>
/// The rows of one index in memory: vectors in contiguous row-major arrays (one for S, one for C), the record
/// fields beside them, a free-list of slots and the map from (ItemId, modality) to slot. Not thread-safe: the
/// owning <see cref="VectorIndex"/> holds its write lock to change it and its read lock to read it.
/// </summary>
internal sealed class SlotTable
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private readonly SortedSet<int> _free = [];
    private readonly Dictionary<(string ItemId, byte Modality), int> _slots = [];
    private float[] _specific = [];
    private float[] _shared = [];
    private string?[] _itemIds = [];
    private byte[] _modalities = [];
    private string[][] _labels = [];
    private IReadOnlyDictionary<string, string>[] _metadata = [];
    private long[] _seqs = [];
    private readonly Dictionary<string, HashSet<int>> _labelSlots = new(StringComparer.Ordinal);
    private readonly int[] _liveByModality = new int[3];

    public SlotTable(int specificDim, int sharedDim)
    {
        SpecificDim = specificDim;
        SharedDim = sharedDim;
    }

    public int SpecificDim { get; }

    public int SharedDim { get; }

    /// <summary>Live records.</summary>
    public int Count => _slots.Count;

    /// <summary>Live records of a modality (1 image, 2 text; 0 counts both).</summary>
    public int CountOf(byte modality) => modality == 0 ? _slots.Count : _liveByModality[modality];

    /// <summary>Slots in use or freed (one past the highest slot ever written): the range a scan covers.</summary>
    public int SlotCount { get; private set; }

    /// <summary>Modality code per slot, 0 for a free slot (the array grows; read it again after a write).</summary>
    public byte[] Modalities => _modalities;

    /// <summary>Log sequence of the write that last set each slot, 0 for a free slot.</summary>
    public long[] Seqs => _seqs;

    /// <summary>The order hits of this table are ranked in (score, then ItemId, then modality).</summary>
    public HitOrder Order => new(_itemIds, _modalities);

    /// <summary>The metadata a record without any shares.</summary>
    public static IReadOnlyDictionary<string, string> EmptyMetadata => NoMetadata;

    public bool ContainsItem(string itemId) => _slots.ContainsKey((itemId, 1)) || _slots.ContainsKey((itemId, 2));

    public string ItemId(int slot) => _itemIds[slot]!;

    public string[] Labels(int slot) => _labels[slot];

    public IReadOnlyDictionary<string, string> Metadata(int slot) => _metadata[slot];

    public ReadOnlySpan<float> Specific(int slot) => new(_specific, slot * SpecificDim, SpecificDim);

    public ReadOnlySpan<float> Shared(int slot) => new(_shared, slot * SharedDim, SharedDim);

    /// <summary>Whether <paramref name="slot"/> is live and passes <paramref name="filter"/>.</summary>
    public bool Matches(int slot, SlotFilter filter) =>
        _modalities[slot] != 0 && filter.Matches(_itemIds[slot]!, _modalities[slot], _labels[slot], _metadata[slot]);

    /// <summary>
    /// Writes a record into its slot (the one it already has, else the lowest free one) and returns the slot. A
    /// snapshot load passes the slot it was saved in; the free-list is then rebuilt by <see cref="RebuildFreeList"/>.
    /// </summary>
    public int Upsert(PreparedRecord record, long seq, int slot = -1)
    {
        var key = (record.ItemId, record.Modality);
        if (slot >= 0)
        {
            EnsureCapacity(slot + 1);
            SlotCount = Math.Max(SlotCount, slot + 1);
        }
        else if (!_slots.TryGetValue(key, out slot))
        {
            slot = AllocateSlot();
        }

        if (_modalities[slot] != 0)
        {
            Unindex(slot);
        }

        _slots[key] = slot;
        _liveByModality[record.Modality]++;
        foreach (var label in record.Labels)
        {
            if (!_labelSlots.TryGetValue(label, out var slots))
            {
                _labelSlots[label] = slots = [];
            }

            slots.Add(slot);
        }

        record.Specific.CopyTo(_specific.AsSpan(slot * SpecificDim, SpecificDim));
        record.Shared.CopyTo(_shared.AsSpan(slot * SharedDim, SharedDim));
        _itemIds[slot] = record.ItemId;
        _modalities[slot] = record.Modality;
        _labels[slot] = record.Labels;
        _metadata[slot] = record.Metadata;
        _seqs[slot] = seq;
        return slot;
    }

    /// <summary>Frees both modalities of an item; calls <paramref name="freed"/> with each (slot, modality) freed.</summary>
    public int Delete(string itemId, Action<int, byte>? freed = null)
    {
        var removed = 0;
        for (byte modality = 1; modality <= 2; modality++)
        {
            if (_slots.Remove((itemId, modality), out var slot))
            {
                Unindex(slot);
                _itemIds[slot] = null;
                _modalities[slot] = 0;
                _labels[slot] = [];
                _metadata[slot] = NoMetadata;
                _seqs[slot] = 0;
                _free.Add(slot);
                freed?.Invoke(slot, modality);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>After a snapshot load (slots given, not allocated): every hole below <see cref="SlotCount"/> is free.</summary>
    public void RebuildFreeList()
    {
        _free.Clear();
        for (var slot = 0; slot < SlotCount; slot++)
        {
            if (_modalities[slot] == 0)
            {
                _free.Add(slot);
            }
        }
    }

    /// <summary>Grows the arrays to hold at least <paramref name="rows"/> slots.</summary>
    public void EnsureCapacity(int rows)
    {
        if (rows <= _itemIds.Length)
        {
            return;
        }

        var capacity = Math.Max(rows, Math.Max(1024, _itemIds.Length * 2));
        Array.Resize(ref _specific, capacity * SpecificDim);
        Array.Resize(ref _shared, capacity * SharedDim);
        Array.Resize(ref _itemIds, capacity);
        Array.Resize(ref _modalities, capacity);
        Array.Resize(ref _labels, capacity);
        Array.Resize(ref _metadata, capacity);
        Array.Resize(ref _seqs, capacity);
    }

    /// <summary>The joint vector [S ; C] of a live slot of <paramref name="modality"/>, null otherwise.</summary>
    public float[]? Joint(int slot, byte modality)
    {
        if (slot >= SlotCount || _modalities[slot] != modality)
        {
            return null;
        }

        var joint = new float[SpecificDim + SharedDim];
        Specific(slot).CopyTo(joint);
        Shared(slot).CopyTo(joint.AsSpan(SpecificDim));
        return joint;
    }


    /// <summary>A copy of the rows as they are now, for a snapshot written while writes go on.</summary>
    public TableSnapshot Capture(long lastSeq)
    {
        var rows = SlotCount;
        return new TableSnapshot(
            lastSeq, rows, _itemIds[..rows], _modalities[..rows], _labels[..rows], _metadata[..rows], _seqs[..rows],
            _specific[..(rows * SpecificDim)], _shared[..(rows * SharedDim)]);
    }

    /// <summary>The page of <paramref name="ranked"/> the query asked for, as hits.</summary>
    public List<VectorHit> ToHits(VectorQuery query, List<ScoredSlot> ranked)
    {
        var hits = new List<VectorHit>(Math.Max(0, Math.Min(query.K, ranked.Count - query.Offset)));
        for (var i = query.Offset; i < ranked.Count && hits.Count < query.K; i++)
        {
            var slot = ranked[i].Slot;
            hits.Add(new VectorHit(
                _itemIds[slot]!, VectorRecordValidation.ModalityName(_modalities[slot]), ranked[i].Score,
                Array.AsReadOnly(_labels[slot]), _metadata[slot]));
        }

        return hits;
    }

    /// <summary>
    /// The slots carrying any of <paramref name="labels"/> (a superset of a label filter's matches), or null when
    /// their number exceeds <paramref name="limit"/>.
    /// </summary>
    public HashSet<int>? SlotsWithAnyLabel(IReadOnlyCollection<string> labels, int limit)
    {
        var total = 0L;
        foreach (var label in labels)
        {
            total += _labelSlots.TryGetValue(label, out var slots) ? slots.Count : 0;
        }

        if (total > limit)
        {
            return null;
        }

        var union = new HashSet<int>((int)total);
        foreach (var label in labels)
        {
            if (_labelSlots.TryGetValue(label, out var slots))
            {
                union.UnionWith(slots);
            }
        }

        return union;
    }

    /// <summary>The share of live records of the filter's target that pass it, estimated from up to <paramref name="samples"/> rows spread over the table.</summary>
    public double EstimateSelectivity(SlotFilter filter, int samples)
    {
        var step = Math.Max(1, SlotCount / Math.Max(1, samples));
        int seen = 0, matched = 0;
        for (var slot = 0; slot < SlotCount; slot += step)
        {
            if (_modalities[slot] == 0 || !filter.MatchesModality(_modalities[slot]))
            {
                continue;
            }

            seen++;
            matched += Matches(slot, filter) ? 1 : 0;
        }

        return seen == 0 ? 0 : matched / (double)seen;
    }

    /// <summary>Takes a live slot out of the per-modality counts and the label lists (before it is freed or rewritten).</summary>
    private void Unindex(int slot)
    {
        _liveByModality[_modalities[slot]]--;
        foreach (var label in _labels[slot])
        {
            if (_labelSlots.TryGetValue(label, out var slots) && slots.Remove(slot) && slots.Count == 0)
            {
                _labelSlots.Remove(label);
            }
        }
    }

    private int AllocateSlot()
    {
        // Lowest free slot first: replaying the same operations always yields the same slots, which the saved
        // HNSW graph (keyed by slot) relies on.
        if (_free.Count > 0)
        {
            var slot = _free.Min;
            _free.Remove(slot);
            return slot;
        }

        EnsureCapacity(SlotCount + 1);
        return SlotCount++;
    }
}
