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
    private AutoLabel?[] _autoLabels = [];
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

    public string ItemId(int slot) => _itemIds[slot]!;

    public string[] Labels(int slot) => _labels[slot];

    public IReadOnlyDictionary<string, string> Metadata(int slot) => _metadata[slot];

    public ReadOnlySpan<float> Specific(int slot) => new(_specific, slot * SpecificDim, SpecificDim);

    public ReadOnlySpan<float> Shared(int slot) => new(_shared, slot * SharedDim, SharedDim);

    /// <summary>Every slot's specific vector, row-major (slot × SpecificDim); the array grows, read it again after a write.</summary>
    public ReadOnlySpan<float> SpecificRows => _specific;

    /// <summary>Every slot's shared vector, row-major (slot × SharedDim).</summary>
    public ReadOnlySpan<float> SharedRows => _shared;

    /// <summary>Whether <paramref name="slot"/> is live and passes <paramref name="filter"/>.</summary>
    public bool Matches(int slot, SlotFilter filter) =>
        _modalities[slot] != 0 && filter.Matches(_itemIds[slot]!, _modalities[slot], _labels[slot], _metadata[slot], _autoLabels[slot]);

    /// <summary>
    /// The slot each record of a batch goes to: the one its (ItemId, modality) has, else the lowest free slots, then new
    /// ones. Reads only; the single writer plans, logs the slots, then applies them with <see cref="Put"/>.
    /// </summary>
    public int[] PlanSlots(IReadOnlyList<PreparedRecord> records)
    {
        var planned = new int[records.Count];
        var inBatch = new Dictionary<(string, byte), int>();
        using var free = _free.GetEnumerator();
        var next = SlotCount;
        for (var i = 0; i < records.Count; i++)
        {
            var key = (records[i].ItemId, records[i].Modality);
            if (_slots.TryGetValue(key, out var slot) || inBatch.TryGetValue(key, out slot))
            {
                planned[i] = slot;
                continue;
            }

            // Lowest free slot first, as replay of the log will find them.
            planned[i] = inBatch[key] = free.MoveNext() ? free.Current : next++;
        }

        return planned;
    }

    /// <summary>The slots an item's records occupy (none, one or two).</summary>
    public int[] SlotsOf(string itemId)
    {
        var found = new List<int>(2);
        for (byte modality = 1; modality <= 2; modality++)
        {
            if (_slots.TryGetValue((itemId, modality), out var slot))
            {
                found.Add(slot);
            }
        }

        return [.. found];
    }

    /// <summary>
    /// Writes a record into <paramref name="slot"/>. Whatever the slot held goes, and so does another slot still
    /// holding the same (ItemId, modality): a snapshot is read while writes go on, so it may have caught a record in
    /// its old slot and in its new one; the log replayed after it puts every slot right.
    /// </summary>
    public void Put(PreparedRecord record, long seq, int slot)
    {
        EnsureCapacity(slot + 1);
        SlotCount = Math.Max(SlotCount, slot + 1);
        var key = (record.ItemId, record.Modality);
        if (_slots.TryGetValue(key, out var other) && other != slot)
        {
            Free(other);
        }

        if (_modalities[slot] != 0)
        {
            Clear(slot);
        }

        _free.Remove(slot);
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
        _autoLabels[slot] = record.AutoLabel;
        _seqs[slot] = seq;
    }

    /// <summary>Writes a record into the slot its key has, else the lowest free one (log entries written before slots were logged).</summary>
    public int Upsert(PreparedRecord record, long seq)
    {
        var slot = PlanSlots([record])[0];
        Put(record, seq, slot);
        return slot;
    }

    /// <summary>Frees a slot (nothing when it is free already); returns the modality it held, 0 if none.</summary>
    public byte Free(int slot)
    {
        if (slot >= SlotCount || _modalities[slot] == 0)
        {
            return 0;
        }

        var modality = _modalities[slot];
        Clear(slot);
        _free.Add(slot);
        return modality;
    }

    /// <summary>Frees both modalities of an item (log entries written before slots were logged).</summary>
    public int Delete(string itemId)
    {
        var slots = SlotsOf(itemId);
        foreach (var slot in slots)
        {
            Free(slot);
        }

        return slots.Length;
    }

    /// <summary>
    /// Up to <paramref name="count"/> live rows from <paramref name="start"/> on, with their vectors copied out, for a
    /// snapshot written a chunk at a time.
    /// </summary>
    public void ReadRows(int start, int count, List<(int Slot, long Seq, PreparedRecord Record)> into)
    {
        var end = Math.Min(SlotCount, start + count);
        for (var slot = start; slot < end; slot++)
        {
            if (_modalities[slot] != 0)
            {
                into.Add((slot, _seqs[slot], new PreparedRecord(
                    _itemIds[slot]!, _modalities[slot], Specific(slot).ToArray(), Shared(slot).ToArray(), _labels[slot], _metadata[slot], _autoLabels[slot])));
            }
        }
    }

    /// <summary>After a load (slots given, not allocated): every hole below <see cref="SlotCount"/> is free.</summary>
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
        Array.Resize(ref _autoLabels, capacity);
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


    /// <summary>The page of <paramref name="ranked"/> the query asked for, as hits.</summary>
    public List<VectorHit> ToHits(VectorQuery query, List<ScoredSlot> ranked)
    {
        var hits = new List<VectorHit>(Math.Max(0, Math.Min(query.K, ranked.Count - query.Offset)));
        for (var i = query.Offset; i < ranked.Count && hits.Count < query.K; i++)
        {
            var slot = ranked[i].Slot;
            hits.Add(new VectorHit(
                _itemIds[slot]!, VectorRecordValidation.ModalityName(_modalities[slot]), ranked[i].Score,
                Array.AsReadOnly(_labels[slot]), _metadata[slot], _autoLabels[slot]));
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

    /// <summary>Empties a live slot: out of the key map, the per-modality counts and the label lists (not yet free).</summary>
    private void Clear(int slot)
    {
        var key = (_itemIds[slot]!, _modalities[slot]);
        if (_slots.TryGetValue(key, out var mapped) && mapped == slot)
        {
            _slots.Remove(key);
        }

        _liveByModality[_modalities[slot]]--;
        foreach (var label in _labels[slot])
        {
            if (_labelSlots.TryGetValue(label, out var slots) && slots.Remove(slot) && slots.Count == 0)
            {
                _labelSlots.Remove(label);
            }
        }

        _itemIds[slot] = null;
        _modalities[slot] = 0;
        _labels[slot] = [];
        _metadata[slot] = NoMetadata;
        _autoLabels[slot] = null;
        _seqs[slot] = 0;
    }
}
