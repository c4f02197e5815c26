using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MS2GAN.Storage.Vectors.Elasticsearch;
using Polly;

namespace MS2GAN.Storage.Elasticsearch;

/// <summary>
/// Writes documents in <c>_bulk</c> batches. A whole request answered 429/5xx (or not answered) is retried with
/// back-off; so are the single documents of a bulk response refused with 429/5xx, and only those. Documents refused
/// for good (other 4xx), or still refused after the last retry, are reported together in one
/// <see cref="ElasticsearchBulkException"/> once every batch has been tried: nothing is dropped silently.
/// </summary>
internal sealed class BulkWriter(ElasticsearchConnection connection, ResiliencePipeline<BulkPass> retries, int batchSize, string refresh)
{
    /// <summary>
    /// Writes <paramref name="operations"/> to <paramref name="target"/> (an index or an alias); returns the status of each id, answers
    /// (<see cref="BulkOperation.IsAnswer"/>) included.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> WriteAsync(string target, IReadOnlyList<BulkOperation> operations, CancellationToken cancellationToken)
    {
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<BulkItemFailure>();
        foreach (var batch in operations.Chunk(batchSize))
        {
            await WriteBatchAsync(target, batch, statuses, failures, cancellationToken).ConfigureAwait(false);
        }

        if (failures.Count > 0)
        {
            throw new ElasticsearchBulkException(target, failures);
        }

        return statuses;
    }

    private async Task WriteBatchAsync(
        string target, BulkOperation[] batch, Dictionary<string, int> statuses, List<BulkItemFailure> failures, CancellationToken cancellationToken)
    {
        var pending = batch.ToList();
        var lastFailure = new Dictionary<string, BulkItemFailure>(StringComparer.Ordinal);
        await retries.ExecuteAsync(
            async token =>
            {
                var (_, body) = await connection.SendOnceAsync(
                    Elastic.Transport.HttpMethod.POST, $"/{target}/_bulk?refresh={refresh}", Body(pending), token, ndjson: true).ConfigureAwait(false);
                var items = body?["items"] as JsonArray;
                if (items is null || items.Count != pending.Count)
                {
                    throw new InvalidDataException(
                        $"Elasticsearch bulk response to '{target}' has {items?.Count ?? 0} items for {pending.Count} documents.");
                }

                var retry = new List<BulkOperation>();
                for (var i = 0; i < pending.Count; i++)
                {
                    var operation = pending[i];
                    var item = items[i] is JsonObject wrapper && wrapper.Count == 1 ? wrapper.First().Value : null;
                    var status = item?["status"]?.GetValue<int>() ?? 0;
                    if (operation.IsAnswer(status))
                    {
                        statuses[operation.Id] = status;
                        lastFailure.Remove(operation.Id);
                        continue;
                    }

                    var failure = new BulkItemFailure(
                        operation.Id, status, item?["error"]?["type"]?.GetValue<string>(), item?["error"]?["reason"]?.GetValue<string>());
                    if (ElasticsearchRequestException.IsTransientStatus(status))
                    {
                        lastFailure[operation.Id] = failure;
                        retry.Add(operation);
                    }
                    else
                    {
                        lastFailure.Remove(operation.Id);
                        failures.Add(failure);
                    }
                }

                pending = retry;
                return new BulkPass(retry.Count);
            },
            cancellationToken).ConfigureAwait(false);

        failures.AddRange(pending.Select(p => lastFailure[p.Id]));
    }

    private const int RetryOnConflict = 5;

    private static string Body(List<BulkOperation> operations)
    {
        var body = new StringBuilder();
        foreach (var operation in operations)
        {
            body.Append("{\"").Append(operation.ActionName).Append("\":{\"_id\":").Append(JsonSerializer.Serialize(operation.Id));
            if (operation.IfSeqNo is { } seqNo && operation.IfPrimaryTerm is { } primaryTerm)
            {
                body.Append(",\"if_seq_no\":").Append(seqNo.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(",\"if_primary_term\":").Append(primaryTerm.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (operation.ActionName == "update")
            {
                // A partial update reads and rewrites the document; a concurrent write between the two is retried by the server.
                body.Append(",\"retry_on_conflict\":").Append(RetryOnConflict.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            body.Append("}}\n");
            if (operation.Document is not null)
            {
                body.Append(operation.Document).Append('\n');
            }
        }

        return body.ToString();
    }
}
