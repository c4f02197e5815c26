using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Items.Elasticsearch;

/// <summary>
/// Thrown by an item store write when Elasticsearch refused some items for good, or still refused them after every
/// retry. The other items of the call were written (see <see cref="ElasticsearchItemStore.UpsertManyAsync"/>).
/// </summary>
public sealed class ElasticsearchItemWriteException(string index, IReadOnlyList<BulkItemFailure> failures, Exception? inner = null)
    : Exception(
        $"Elasticsearch write to '{index}': {failures.Count} item(s) failed: "
        + string.Join("; ", failures.Take(20).Select(f => $"{f.Id} (HTTP {f.Status} {f.ErrorType}: {f.Reason})"))
        + (failures.Count > 20 ? $"; and {failures.Count - 20} more" : string.Empty),
        inner)
{
    /// <summary>The items index.</summary>
    public string Index { get; } = index;

    /// <summary>Every item that was not written (the failure's id is the item id), with Elasticsearch's reason.</summary>
    public IReadOnlyList<BulkItemFailure> Failures { get; } = failures;
}
