using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Vectors.Elasticsearch;

/// <summary>
/// Thrown by a bulk write when some documents were refused for good (a 4xx other than 429) or were still refused
/// after every retry (429, 5xx). Every other document of the call was written.
/// </summary>
public sealed class ElasticsearchBulkException(string index, IReadOnlyList<BulkItemFailure> failures)
    : VectorWriteException(
        $"Elasticsearch bulk write to '{index}': {failures.Count} document(s) failed: "
        + string.Join("; ", failures.Take(20).Select(f => $"{f.Id} (HTTP {f.Status} {f.ErrorType}: {f.Reason})"))
        + (failures.Count > 20 ? $"; and {failures.Count - 20} more" : string.Empty),
        ByItem(failures))
{
    /// <summary>The index or alias written to.</summary>
    public string Index { get; } = index;

    /// <summary>Every document that was not written, with Elasticsearch's reason.</summary>
    public IReadOnlyList<BulkItemFailure> Failures { get; } = failures;

    /// <summary>Document ids are <c>{itemId}:{modality}</c>; an item fails when any of its documents did.</summary>
    private static Dictionary<string, string> ByItem(IReadOnlyList<BulkItemFailure> failures)
    {
        var byItem = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var failure in failures)
        {
            var cut = failure.Id.LastIndexOf(':');
            var itemId = cut > 0 ? failure.Id[..cut] : failure.Id;
            var reason = $"Elasticsearch refused {failure.Id}: HTTP {failure.Status} {failure.ErrorType}: {failure.Reason}";
            byItem[itemId] = byItem.TryGetValue(itemId, out var earlier) ? $"{earlier}; {reason}" : reason;
        }

        return byItem;
    }
}
