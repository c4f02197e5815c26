using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Storage.Elasticsearch;
using MS2GAN.Storage.Vectors.Elasticsearch;
using EsMethod = Elastic.Transport.HttpMethod;

namespace MS2GAN.Storage.Items.Elasticsearch;

/// <summary>
/// The item store on Elasticsearch: one index (<see cref="ElasticsearchItemStoreOptions.IndexName"/>), one document per
/// item with the item id as <c>_id</c>, mapped by infra/elasticsearch/items-index-template.json (cached features
/// stored, not indexed). Upserts read the current content hash with a real-time <c>_mget</c> and write with
/// <c>create</c> (new ids) or <c>index</c> guarded by <c>if_seq_no</c>/<c>if_primary_term</c> (replaced ids), so a
/// concurrent writer is never overwritten blindly: its conflict (409) makes the id be read and decided again.
/// Reads by id are real-time; counts and listings are searches, fresh as <see cref="ElasticsearchItemStoreOptions.Refresh"/> says.
/// Thread-safe; share one instance.
/// </summary>
public sealed class ElasticsearchItemStore : IItemStore
{
    // Ids per _mget request.
    private const int MaxIdsPerRequest = 1_000;
    // Elasticsearch's default index.max_result_window bounds the size of one search page.
    private const int MaxPageSize = 10_000;
    // Rounds of read-decide-write for ids that another writer changed in between.
    private const int MaxConflictRounds = 10;

    private const string CachedFeaturesScript =
        "if (ctx._source.content_hash != params.expected) { ctx.op = 'noop'; } else { "
        + "if (params.image != null) { ctx._source.image_features = params.image; ctx._source.image_feature_space = params.image_space; } "
        + "if (params.text != null) { ctx._source.text_features = params.text; ctx._source.text_feature_space = params.text_space; } }";

    private readonly ElasticsearchItemStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ElasticsearchConnection _connection;
    private readonly BulkWriter _bulk;
    private readonly string _refresh;
    private readonly SemaphoreSlim _indexGate = new(1, 1);
    private volatile bool _indexReady;

    /// <summary>A store over <paramref name="client"/>; no request is sent until the first call.</summary>
    /// <param name="client">The client, shared with the vector store.</param>
    /// <param name="options">Index name, template name, refresh policy, batching and retries.</param>
    /// <param name="logger">Logs template and index creation and retries.</param>
    /// <param name="timeProvider">Clock for the timestamps; the system clock by default.</param>
    public ElasticsearchItemStore(
        ElasticsearchClient client, ElasticsearchItemStoreOptions options, ILogger<ElasticsearchItemStore>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _refresh = ElasticsearchRetries.RefreshParameter(options.Refresh);
        _connection = new ElasticsearchConnection(client, ElasticsearchRetries.Requests(options.MaxRetries, options.RetryBaseDelay, _logger));
        _bulk = new BulkWriter(_connection, ElasticsearchRetries.Bulk(options.MaxRetries, options.RetryBaseDelay, _logger), options.BatchSize, _refresh);
    }

    /// <summary>
    /// Puts the index template and creates the index if it is missing; both are idempotent. Called before the first
    /// operation of this instance, or at start-up. The template shapes the index when it is created: an index
    /// that already exists keeps its mapping.
    /// </summary>
    public async Task EnsureIndexAsync(CancellationToken cancellationToken = default)
    {
        if (_indexReady)
        {
            return;
        }

        await _indexGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_indexReady)
            {
                return;
            }

            await _connection.SendAsync(
                EsMethod.PUT, $"/_index_template/{_options.TemplateName}", IndexTemplate.Body(IndexTemplate.Items, _options.IndexName).ToJsonString(),
                cancellationToken).ConfigureAwait(false);
            try
            {
                await _connection.SendAsync(EsMethod.PUT, $"/{_options.IndexName}", null, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Items index {Index} created in Elasticsearch", _options.IndexName);
            }
            catch (ElasticsearchRequestException e) when (e.ErrorType is "resource_already_exists_exception")
            {
                // Created earlier, or by another instance just now.
            }

            _indexReady = true;
        }
        finally
        {
            _indexGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<UpsertOutcome> UpsertAsync(ItemRecord item, CancellationToken cancellationToken = default)
    {
        var outcomes = await UpsertManyAsync([item], cancellationToken).ConfigureAwait(false);
        return outcomes[0];
    }

    /// <summary>
    /// Records a batch of items. Elasticsearch has no transactions across documents, so this is all-or-none only
    /// up to the first request: the whole batch is validated, and cancellation is checked, before anything is
    /// sent, so an invalid item or an early cancellation writes nothing. Each item's write is atomic and
    /// conditional. If the server refuses some items for good (or after every retry), the others stay written and
    /// <see cref="ElasticsearchItemWriteException"/> names the refused ones; sending the same batch again is safe
    /// (what was written comes back <see cref="UpsertOutcome.Unchanged"/>).
    /// </summary>
    /// <inheritdoc />
    public async Task<IReadOnlyList<UpsertOutcome>> UpsertManyAsync(IReadOnlyList<ItemRecord> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = 0; i < items.Count; i++)
        {
            ItemValidation.Check(items[i], i);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (items.Count == 0)
        {
            return [];
        }

        // Each id is written once, with its last content; its outcomes follow its occurrences in order.
        var positions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var batch = new ItemRecord[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            batch[i] = items[i];
            if (!positions.TryGetValue(batch[i].Id, out var list))
            {
                positions[batch[i].Id] = list = [];
            }

            list.Add(i);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var outcomes = new UpsertOutcome[items.Count];
        var now = _time.GetUtcNow();
        IReadOnlyCollection<string> pending = positions.Keys;
        for (var round = 1; ; round++)
        {
            var current = await ReadVersionsAsync(pending, cancellationToken).ConfigureAwait(false);
            var operations = new List<BulkOperation>();
            foreach (var id in pending)
            {
                var existing = current.GetValueOrDefault(id);
                var hash = existing?.ContentHash;
                var createdAt = existing?.CreatedAt ?? now;
                ItemRecord? last = null;
                foreach (var position in positions[id])
                {
                    var item = batch[position];
                    if (hash is not null && string.Equals(hash, item.ContentHash, StringComparison.Ordinal))
                    {
                        outcomes[position] = UpsertOutcome.Unchanged;
                        continue;
                    }

                    outcomes[position] = hash is null ? UpsertOutcome.Created : UpsertOutcome.Replaced;
                    hash = item.ContentHash;
                    last = item;
                }

                if (last is not null)
                {
                    operations.Add(new BulkOperation(id, ItemDocuments.Write(last, createdAt, now))
                    {
                        Action = existing is null ? "create" : "index",
                        IfSeqNo = existing?.SeqNo,
                        IfPrimaryTerm = existing?.PrimaryTerm,
                    });
                }
            }

            if (operations.Count == 0)
            {
                return outcomes;
            }

            var statuses = await WriteAsync(operations, cancellationToken).ConfigureAwait(false);
            var conflicts = operations.Where(o => statuses.GetValueOrDefault(o.Id) == 409).Select(o => o.Id).ToList();
            if (conflicts.Count == 0)
            {
                return outcomes;
            }

            if (round == MaxConflictRounds)
            {
                throw new ElasticsearchItemWriteException(
                    _options.IndexName, [.. conflicts.Select(id => new BulkItemFailure(id, 409, "version_conflict_engine_exception", $"still changing after {round} rounds"))]);
            }

            _logger.LogDebug("{Count} item(s) changed by another writer during an upsert; reading them again", conflicts.Count);
            pending = conflicts;
        }
    }

    /// <inheritdoc />
    public async Task<ItemRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var found = await GetManyAsync([id], cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ItemRecord>> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        var wanted = ItemValidation.DistinctIds(ids);
        if (wanted.Count == 0)
        {
            return [];
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<string, ItemRecord>(StringComparer.Ordinal);
        foreach (var chunk in wanted.Chunk(MaxIdsPerRequest))
        {
            foreach (var doc in await MultiGetAsync(chunk, null, cancellationToken).ConfigureAwait(false))
            {
                var id = doc["_id"]!.GetValue<string>();
                found[id] = ItemDocuments.Read(id, doc["_source"] ?? throw new InvalidDataException($"Item '{id}' came back without _source."));
            }
        }

        return [.. wanted.Where(found.ContainsKey).Select(id => found[id])];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> GetContentHashesAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        var wanted = ItemValidation.DistinctIds(ids);
        if (wanted.Count == 0)
        {
            return new Dictionary<string, string>();
        }
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadVersionsAsync(wanted, cancellationToken).ConfigureAwait(false))
            .ToDictionary(pair => pair.Key, pair => pair.Value.ContentHash, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!ItemIds.IsValid(id))
        {
            return false;
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var body = await _connection.SendAsync(
            EsMethod.DELETE, $"/{_options.IndexName}/_doc/{id}?refresh={_refresh}", null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return body is not null;
    }

    /// <inheritdoc />
    public async Task<bool> SetCachedFeaturesAsync(
        string id,
        string expectedContentHash,
        float[]? imageFeatures,
        string? imageFeatureSpace,
        float[]? textFeatures,
        string? textFeatureSpace,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrEmpty(expectedContentHash);
        cancellationToken.ThrowIfCancellationRequested();
        if ((imageFeatures is null && textFeatures is null) || !ItemIds.IsValid(id))
        {
            return false;
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        // The hash is compared on the shard, inside the update: no window between the check and the write.
        var body = new JsonObject
        {
            ["script"] = new JsonObject
            {
                ["lang"] = "painless",
                ["source"] = CachedFeaturesScript,
                ["params"] = new JsonObject
                {
                    ["expected"] = expectedContentHash,
                    ["image"] = ItemDocuments.Features(imageFeatures),
                    ["image_space"] = imageFeatureSpace,
                    ["text"] = ItemDocuments.Features(textFeatures),
                    ["text_space"] = textFeatureSpace,
                },
            },
        };
        var response = await UpdateAsync(id, body, cancellationToken).ConfigureAwait(false);
        return response?["result"]?.GetValue<string>() == "updated";
    }

    /// <inheritdoc />
    public Task<int> MarkIndexedAsync(IReadOnlyCollection<string> ids, string modelVersion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        var change = Change(ItemState.Indexed, failureReason: null, modelVersion).ToJsonString();
        return UpdateEachAsync(ids, _ => change, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> SetAutoLabelsAsync(
        IReadOnlyCollection<string> ids, IReadOnlyDictionary<string, AutoLabel> autoLabels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(autoLabels);
        return UpdateEachAsync(ids, id => AutoLabelChange(autoLabels.GetValueOrDefault(id)).ToJsonString(), cancellationToken);
    }

    /// <summary>One bulk of partial updates, <paramref name="change"/> of each id; how many of <paramref name="ids"/> exist (an id given twice counts twice, as in SQLite).</summary>
    private async Task<int> UpdateEachAsync(IReadOnlyCollection<string> ids, Func<string, string> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var id in ids)
        {
            ArgumentNullException.ThrowIfNull(id, nameof(ids));
        }

        var distinct = ids.Where(ItemIds.IsValid).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return 0;
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var statuses = await WriteAsync([.. distinct.Select(id => new BulkOperation(id, change(id)) { Action = "update" })], cancellationToken)
            .ConfigureAwait(false);
        return ids.Count(id => statuses.TryGetValue(id, out var status) && status is >= 200 and < 300);
    }

    /// <inheritdoc />
    public async Task<bool> MarkFailedAsync(string id, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        cancellationToken.ThrowIfCancellationRequested();
        if (!ItemIds.IsValid(id))
        {
            return false;
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        // A failed item is no longer indexed: no model's auto-label stands for it.
        var change = Change(ItemState.Failed, reason, modelVersion: null);
        change["doc"]!["auto_label"] = null;
        return await UpdateAsync(id, change, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<ItemState, long>> CountByStateAsync(CancellationToken cancellationToken = default)
    {
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var counts = Enum.GetValues<ItemState>().ToDictionary(state => state, _ => 0L);
        var body = new JsonObject
        {
            ["size"] = 0,
            ["track_total_hits"] = false,
            ["aggs"] = new JsonObject { ["states"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "state", ["size"] = 16 } } },
        };
        var response = await _connection.SendAsync(EsMethod.POST, $"/{_options.IndexName}/_search", body.ToJsonString(), cancellationToken)
            .ConfigureAwait(false);
        var buckets = response?["aggregations"]?["states"]?["buckets"] as JsonArray
            ?? throw new InvalidDataException("Elasticsearch state count has no aggregations.states.buckets.");
        foreach (var bucket in buckets)
        {
            counts[ItemStateNames.Parse(bucket!["key"]!.GetValue<string>())] = bucket["doc_count"]!.GetValue<long>();
        }

        return counts;
    }

    /// <summary>The most distinct labels <see cref="CountLabelsAsync"/> reports (a terms aggregation's size).</summary>
    public const int MaxCountedLabels = 10_000;

    /// <inheritdoc />
    public async Task<LabelCounts> CountLabelsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var body = new JsonObject
        {
            ["size"] = 0,
            ["track_total_hits"] = false,
            ["query"] = new JsonObject
            {
                ["bool"] = new JsonObject { ["must_not"] = new JsonArray(new JsonObject { ["term"] = new JsonObject { ["state"] = ItemStateNames.Name(ItemState.Failed) } }) },
            },
            ["aggs"] = new JsonObject
            {
                ["labelled"] = new JsonObject { ["filter"] = new JsonObject { ["exists"] = new JsonObject { ["field"] = "labels" } } },
                ["labels"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "labels", ["size"] = MaxCountedLabels } },
            },
        };
        var response = await _connection.SendAsync(EsMethod.POST, $"/{_options.IndexName}/_search", body.ToJsonString(), cancellationToken)
            .ConfigureAwait(false);
        var labelled = response?["aggregations"]?["labelled"]?["doc_count"]?.GetValue<long>()
            ?? throw new InvalidDataException("Elasticsearch label count has no aggregations.labelled.doc_count.");
        var buckets = response?["aggregations"]?["labels"]?["buckets"] as JsonArray
            ?? throw new InvalidDataException("Elasticsearch label count has no aggregations.labels.buckets.");
        var byLabel = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var bucket in buckets)
        {
            byLabel[bucket!["key"]!.GetValue<string>()] = bucket["doc_count"]!.GetValue<long>();
        }
        return new LabelCounts(labelled, byLabel);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListIdsAsync(string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var hits = await SearchAfterAsync(state: null, afterId, limit, withSource: false, cancellationToken).ConfigureAwait(false);
        return [.. hits.Select(hit => hit["_id"]!.GetValue<string>())];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ItemRecord>> ListAsync(ItemState? state, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var hits = await SearchAfterAsync(state, afterId, limit, withSource: true, cancellationToken).ConfigureAwait(false);
        return [.. hits.Select(hit => ItemDocuments.Read(hit["_id"]!.GetValue<string>(), hit["_source"]!))];
    }

    /// <summary>Keyset pages sorted by the <c>id</c> keyword (byte order, which is ordinal order for the ASCII ids allowed).</summary>
    private async Task<List<JsonNode>> SearchAfterAsync(ItemState? state, string? afterId, int limit, bool withSource, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var hits = new List<JsonNode>();
        var after = afterId;
        while (hits.Count < limit)
        {
            var size = Math.Min(limit - hits.Count, MaxPageSize);
            var body = new JsonObject
            {
                ["size"] = size,
                ["track_total_hits"] = false,
                ["_source"] = withSource,
                ["query"] = state is { } wanted
                    ? new JsonObject { ["term"] = new JsonObject { ["state"] = ItemStateNames.Name(wanted) } }
                    : new JsonObject { ["match_all"] = new JsonObject() },
                ["sort"] = new JsonArray(new JsonObject { ["id"] = "asc" }),
            };
            if (after is not null)
            {
                body["search_after"] = new JsonArray(after);
            }

            var response = await _connection.SendAsync(EsMethod.POST, $"/{_options.IndexName}/_search", body.ToJsonString(), cancellationToken)
                .ConfigureAwait(false);
            var page = response?["hits"]?["hits"] as JsonArray
                ?? throw new InvalidDataException("Elasticsearch item listing has no hits.hits array.");
            hits.AddRange(page.Select(hit => hit!));
            if (page.Count < size)
            {
                break;
            }

            after = page[^1]!["_id"]!.GetValue<string>();
        }

        return hits;
    }

    private static JsonObject AutoLabelChange(AutoLabel? autoLabel) => new()
    {
        ["doc"] = new JsonObject
        {
            ["auto_label"] = autoLabel is null ? null : new JsonObject { ["label"] = autoLabel.Label, ["confidence"] = autoLabel.Confidence },
        },
    };

    private JsonObject Change(ItemState state, string? failureReason, string? modelVersion) => new()
    {
        ["doc"] = new JsonObject
        {
            ["state"] = ItemStateNames.Name(state),
            ["failure_reason"] = failureReason,
            ["model_version"] = modelVersion,
            ["updated_at"] = ItemDocuments.Time(_time.GetUtcNow()),
        },
    };

    /// <summary>One <c>_update</c>; null when there is no such item.</summary>
    private Task<JsonNode?> UpdateAsync(string id, JsonObject body, CancellationToken cancellationToken) =>
        _connection.SendAsync(
            EsMethod.POST, $"/{_options.IndexName}/_update/{id}?refresh={_refresh}&retry_on_conflict=5", body.ToJsonString(), cancellationToken,
            allowNotFound: true).AsTask();

    /// <summary>The found documents of one <c>_mget</c> (real-time: no refresh needed).</summary>
    private async Task<IEnumerable<JsonNode>> MultiGetAsync(IEnumerable<string> ids, string? sourceIncludes, CancellationToken cancellationToken)
    {
        var path = sourceIncludes is null ? $"/{_options.IndexName}/_mget" : $"/{_options.IndexName}/_mget?_source_includes={sourceIncludes}";
        var body = new JsonObject { ["ids"] = new JsonArray([.. ids.Select(id => (JsonNode)JsonValue.Create(id))]) };
        var response = await _connection.SendAsync(EsMethod.POST, path, body.ToJsonString(), cancellationToken).ConfigureAwait(false);
        var docs = response?["docs"] as JsonArray ?? throw new InvalidDataException("Elasticsearch _mget response has no docs array.");
        return docs.Where(doc => doc?["found"]?.GetValue<bool>() == true).Select(doc => doc!);
    }

    /// <summary>Content hash, creation time and version of each existing item, for an upsert to decide and guard its write.</summary>
    private async Task<Dictionary<string, StoredVersion>> ReadVersionsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, StoredVersion>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(MaxIdsPerRequest))
        {
            foreach (var doc in await MultiGetAsync(chunk, "content_hash,created_at", cancellationToken).ConfigureAwait(false))
            {
                var id = doc["_id"]!.GetValue<string>();
                versions[id] = new StoredVersion(
                    doc["_source"]?["content_hash"]?.GetValue<string>() ?? throw new InvalidDataException($"Item '{id}' has no content_hash in Elasticsearch."),
                    ItemDocuments.ParseTime(doc["_source"]?["created_at"]?.GetValue<string>(), id),
                    doc["_seq_no"]?.GetValue<long>() ?? throw new InvalidDataException($"_mget of item '{id}' has no _seq_no."),
                    doc["_primary_term"]?.GetValue<long>() ?? throw new InvalidDataException($"_mget of item '{id}' has no _primary_term."));
            }
        }

        return versions;
    }

    private async Task<IReadOnlyDictionary<string, int>> WriteAsync(IReadOnlyList<BulkOperation> operations, CancellationToken cancellationToken)
    {
        try
        {
            return await _bulk.WriteAsync(_options.IndexName, operations, cancellationToken).ConfigureAwait(false);
        }
        catch (ElasticsearchBulkException e)
        {
            throw new ElasticsearchItemWriteException(_options.IndexName, e.Failures, e);
        }
    }

    private sealed record StoredVersion(string ContentHash, DateTimeOffset CreatedAt, long SeqNo, long PrimaryTerm);
}
