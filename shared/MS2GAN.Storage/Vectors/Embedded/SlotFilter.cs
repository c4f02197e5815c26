namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>The target, label, auto-label, metadata and exclusion filters of a query, checked per record before scoring.</summary>
internal sealed class SlotFilter(VectorQuery query)
{
    private readonly byte _target = VectorRecordValidation.ModalityCode(query.Target);
    private readonly HashSet<string>? _labels = query.AnyOfLabels is { Count: > 0 } l ? new HashSet<string>(l, StringComparer.Ordinal) : null;
    private readonly KeyValuePair<string, string>[]? _metadata = query.Metadata is { Count: > 0 } m ? [.. m] : null;
    private readonly string? _exclude = query.ExcludeItemId;
    private readonly string? _autoLabel = query.AutoLabel;
    private readonly double _minConfidence = query.MinAutoLabelConfidence;

    /// <summary>The target modality's code, 0 for any.</summary>
    public byte Target => _target;

    /// <summary>The labels a record must carry one of, or null when labels do not filter.</summary>
    public IReadOnlyCollection<string>? Labels => _labels;

    /// <summary>True when metadata pairs narrow the results.</summary>
    public bool HasMetadata => _metadata is not null;

    /// <summary>True when labels or metadata narrow the results (the target alone is accounted for separately).</summary>
    public bool IsSelective => _labels is not null || _metadata is not null || _autoLabel is not null;

    /// <summary>True when the target modality is the whole filter, so the modality alone decides a match.</summary>
    public bool TargetOnly => _labels is null && _metadata is null && _exclude is null && _autoLabel is null;

    /// <summary>Whether a record of this modality passes the target part of the filter.</summary>
    public bool MatchesModality(byte modality) => _target == 0 || modality == _target;

    public bool Matches(string itemId, byte modality, string[] labels, IReadOnlyDictionary<string, string> metadata, AutoLabel? autoLabel)
    {
        if (_target != 0 && modality != _target)
        {
            return false;
        }

        if (_exclude is not null && string.Equals(itemId, _exclude, StringComparison.Ordinal))
        {
            return false;
        }

        if (_labels is not null && !labels.Any(_labels.Contains))
        {
            return false;
        }

        if (_autoLabel is not null
            && (autoLabel is null || !string.Equals(autoLabel.Label, _autoLabel, StringComparison.Ordinal) || autoLabel.Confidence < _minConfidence))
        {
            return false;
        }

        if (_metadata is not null)
        {
            foreach (var (key, value) in _metadata)
            {
                if (!metadata.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
