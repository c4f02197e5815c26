using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using EsMethod = Elastic.Transport.HttpMethod;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Vectors.Elasticsearch;

/// <summary>
/// The vector store on Elasticsearch: one Elasticsearch index per vector index (<c>{IndexPrefix}{name}</c>), holding
/// one document per record with id <c>{itemId}:{modality}</c> and fields <c>item_id</c>, <c>modality</c>,
/// <c>labels</c> (keyword), <c>metadata</c> (flattened), <c>auto_label</c> (label keyword, confidence float) and the L2-normalised <c>specific</c> and <c>shared</c> vectors
/// (dense_vector, dot_product similarity, <see cref="ElasticsearchVectorStoreOptions.IndexOptionsType"/>).
/// The index template (infra/elasticsearch) is applied once per instance before the first index is created, or at
/// start-up through <see cref="EnsureTemplateAsync"/>; applying it again is harmless.
/// Scoring and fusion of the two fields: see <see cref="ElasticsearchSearchMode"/> and infra/elasticsearch/README.md.
/// Thread-safe; share one instance.
/// </summary>
public sealed class ElasticsearchVectorStore : IVectorStore
{
    private readonly ElasticsearchVectorStoreOptions _options;
    private readonly ILogger _logger;
    private readonly ElasticsearchConnection _connection;
    private readonly BulkWriter _bulk;
    private readonly SemaphoreSlim _templateGate = new(1, 1);
    private readonly ConcurrentDictionary<string, (IndexDefinition Definition, long ExpiresAt)> _definitions = new(StringComparer.Ordinal);
    private volatile bool _templateApplied;

    /// <summary>A store over <paramref name="client"/>; no request is sent until the first call.</summary>
    public ElasticsearchVectorStore(ElasticsearchClient client, ElasticsearchVectorStoreOptions options, ILogger<ElasticsearchVectorStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;

        _connection = new ElasticsearchConnection(client, ElasticsearchRetries.Requests(options.MaxRetries, options.RetryBaseDelay, _logger));
        _bulk = new BulkWriter(
            _connection, ElasticsearchRetries.Bulk(options.MaxRetries, options.RetryBaseDelay, _logger), options.BatchSize,
            ElasticsearchRetries.RefreshParameter(options.Refresh));
    }

    /// <summary>Puts the index template (idempotent: the same body replaces itself). Call at start-up.</summary>
    public async Task EnsureTemplateAsync(CancellationToken cancellationToken = default)
    {
        if (_templateApplied)
        {
            return;
        }

        await _templateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_templateApplied)
            {
                await _connection.SendAsync(
                    EsMethod.PUT, $"/_index_template/{_options.TemplateName}", IndexTemplate.Body(IndexTemplate.Vectors, _options.IndexPrefix + "*").ToJsonString(), cancellationToken)
                    .ConfigureAwait(false);
                _templateApplied = true;
                _logger.LogInformation("Elasticsearch index template {Template} applied to {Pattern}", _options.TemplateName, _options.IndexPrefix + "*");
            }
        }
        finally
        {
            _templateGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default)
    {
        IndexRules.ValidateDefinition(definition);

        await EnsureTemplateAsync(cancellationToken).ConfigureAwait(false);
        var meta = new JsonObject { ["name"] = definition.Name };
        if (definition.ModelVersion is not null)
        {
            meta["model_version"] = definition.ModelVersion;
        }

        var body = new JsonObject
        {
            ["mappings"] = new JsonObject
            {
                ["_meta"] = new JsonObject { ["ms2gan"] = meta },
                ["properties"] = new JsonObject
                {
                    ["specific"] = VectorField(definition.SpecificDim),
                    ["shared"] = VectorField(definition.SharedDim),
                },
            },
        };

        try
        {
            await _connection.SendAsync(EsMethod.PUT, $"/{Physical(definition.Name)}", body.ToJsonString(), cancellationToken).ConfigureAwait(false);
            _logger.LogInformation(
                "Vector index {Index} created in Elasticsearch ({SpecificDim}+{SharedDim} dims, {Type}, model {ModelVersion})",
                definition.Name, definition.SpecificDim, definition.SharedDim, _options.IndexOptionsType, definition.ModelVersion);
        }
        catch (ElasticsearchRequestException e) when (e.ErrorType is "resource_already_exists_exception")
        {
            var existing = await ReadDefinitionAsync(definition.Name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Index '{definition.Name}' exists but could not be read.", e);
            if (existing != definition)
            {
                throw new InvalidOperationException(
                    $"Index '{Physical(definition.Name)}' exists with a different mapping: {Differences(existing, definition)}. It is left as it is.", e);
            }
        }
        catch (ElasticsearchRequestException e) when (e.ErrorType is "invalid_index_name_exception")
        {
            throw new InvalidOperationException($"'{definition.Name}' cannot be an index name here: {e.Reason}", e);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteIndexAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!IndexRules.IsValidName(name))
        {
            return false;
        }

        _definitions.Clear();
        try
        {
            var body = await _connection.SendAsync(EsMethod.DELETE, $"/{Physical(name)}", null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
            if (body is null)
            {
                return false;
            }
        }
        catch (ElasticsearchRequestException e) when (e.Status == 400 && e.ErrorType == "illegal_argument_exception")
        {
            // The name is an alias: like the embedded store, only indexes are deleted by name.
            return false;
        }

        _logger.LogInformation("Vector index {Index} deleted from Elasticsearch", name);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IndexDefinition>> ListIndexesAsync(CancellationToken cancellationToken = default)
    {
        var body = await _connection.SendAsync(EsMethod.GET, $"/{_options.IndexPrefix}*/_mapping", null, cancellationToken).ConfigureAwait(false);
        return body is JsonObject indexes
            ? [.. indexes.Select(pair => ParseDefinition(pair.Key, pair.Value)).OfType<IndexDefinition>().OrderBy(d => d.Name, StringComparer.Ordinal)]
            : [];
    }

    /// <inheritdoc />
    public Task<IndexDefinition?> GetIndexAsync(string indexOrAlias, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexOrAlias);
        return IndexRules.IsValidName(indexOrAlias) ? ReadDefinitionAsync(indexOrAlias, cancellationToken) : Task.FromResult<IndexDefinition?>(null);
    }

    /// <inheritdoc />
    public async Task UpsertAsync(string indexOrAlias, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var definition = await DefinitionAsync(indexOrAlias, cancellationToken).ConfigureAwait(false);
        var operations = records.Select(r => ElasticsearchDocuments.Prepare(r, definition)).ToList();
        if (operations.Count > 0)
        {
            await _bulk.WriteAsync(Physical(indexOrAlias), operations, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<int> DeleteItemAsync(string indexOrAlias, string itemId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemId);
        await DefinitionAsync(indexOrAlias, cancellationToken).ConfigureAwait(false);
        var statuses = await _bulk.WriteAsync(
            Physical(indexOrAlias),
            [
                new BulkOperation(ElasticsearchDocuments.Id(itemId, VectorModalities.Image), null),
                new BulkOperation(ElasticsearchDocuments.Id(itemId, VectorModalities.Text), null),
            ],
            cancellationToken).ConfigureAwait(false);
        return statuses.Values.Count(status => status is >= 200 and < 300);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<VectorHit>> SearchAsync(string indexOrAlias, VectorQuery query, CancellationToken cancellationToken = default)
    {
        VectorRecordValidation.ValidateQuery(query);
        var definition = await DefinitionAsync(indexOrAlias, cancellationToken).ConfigureAwait(false);
        var specific = VectorRecordValidation.NormalisedQuery(query.Specific, definition.SpecificDim, query.SpecificWeight, "specific");
        var shared = VectorRecordValidation.NormalisedQuery(query.Shared, definition.SharedDim, query.SharedWeight, "shared");
        var body = SearchBody.Build(query, specific, shared, _options.Mode, _options.NumCandidates, out var offset);
        var response = await SendToIndexAsync(EsMethod.POST, indexOrAlias, "_search", body.ToJsonString(), cancellationToken).ConfigureAwait(false);
        return SearchHits.Parse(response, offset);
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(string indexOrAlias, CancellationToken cancellationToken = default)
    {
        var response = await SendToIndexAsync(EsMethod.GET, indexOrAlias, "_count", null, cancellationToken).ConfigureAwait(false);
        return response?["count"]?.GetValue<long>() ?? throw new InvalidDataException($"Elasticsearch _count of '{indexOrAlias}' has no count.");
    }

    /// <inheritdoc />
    public async Task SetAliasAsync(string alias, string indexName, CancellationToken cancellationToken = default)
    {
        IndexRules.ValidateName(alias, "alias");
        if (!IndexRules.IsValidName(indexName))
        {
            throw new VectorIndexNotFoundException(indexName);
        }

        if (await ReadDefinitionAsync(alias, cancellationToken).ConfigureAwait(false) is { } asIndex && asIndex.Name == alias)
        {
            throw new InvalidOperationException($"'{alias}' is an index; an alias cannot have the same name.");
        }

        // Read the current target, then remove it and add the new one in one _aliases request (atomic). Should another
        // writer move the alias in between, the remove fails as a whole and the read is repeated.
        for (var attempt = 0; ; attempt++)
        {
            var current = await GetAliasAsync(alias, cancellationToken).ConfigureAwait(false);
            var actions = new JsonArray();
            if (current is not null && current != indexName)
            {
                actions.Add(new JsonObject { ["remove"] = new JsonObject { ["index"] = Physical(current), ["alias"] = Physical(alias) } });
            }

            actions.Add(new JsonObject { ["add"] = new JsonObject { ["index"] = Physical(indexName), ["alias"] = Physical(alias) } });
            try
            {
                await _connection.SendAsync(EsMethod.POST, "/_aliases", new JsonObject { ["actions"] = actions }.ToJsonString(), cancellationToken)
                    .ConfigureAwait(false);
                _definitions.TryRemove(alias, out _);
                _logger.LogInformation("Vector alias {Alias} now points to {Index} (was {Previous})", alias, indexName, current);
                return;
            }
            catch (ElasticsearchRequestException e) when (e.ErrorType == "index_not_found_exception")
            {
                throw new VectorIndexNotFoundException(indexName);
            }
            catch (ElasticsearchRequestException e) when (e.ErrorType == "aliases_not_found_exception" && attempt < 3)
            {
                _logger.LogInformation("Vector alias {Alias} moved while being swapped; reading it again", alias);
            }
            catch (ElasticsearchRequestException e) when (e.ErrorType == "invalid_alias_name_exception")
            {
                throw new InvalidOperationException($"'{alias}' cannot be an alias here: {e.Reason}", e);
            }
        }
    }

    /// <inheritdoc />
    public async Task<string?> GetAliasAsync(string alias, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(alias);
        if (!IndexRules.IsValidName(alias))
        {
            return null;
        }

        var body = await _connection.SendAsync(EsMethod.GET, $"/_alias/{Physical(alias)}", null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return body is JsonObject { Count: > 0 } indexes ? Logical(indexes.First().Key) : null;
    }

    private static string Differences(IndexDefinition existing, IndexDefinition wanted)
    {
        var differences = new List<string>();
        if (existing.SpecificDim != wanted.SpecificDim)
        {
            differences.Add($"field 'specific' has {existing.SpecificDim} dims, not {wanted.SpecificDim}");
        }

        if (existing.SharedDim != wanted.SharedDim)
        {
            differences.Add($"field 'shared' has {existing.SharedDim} dims, not {wanted.SharedDim}");
        }

        if (existing.ModelVersion != wanted.ModelVersion)
        {
            differences.Add($"_meta 'model_version' is '{existing.ModelVersion}', not '{wanted.ModelVersion}'");
        }

        return string.Join("; ", differences);
    }

    private JsonObject VectorField(int dims)
    {
        var indexOptions = new JsonObject { ["type"] = _options.IndexOptionsType };
        if (_options.IsHnsw)
        {
            indexOptions["m"] = _options.HnswM;
            indexOptions["ef_construction"] = _options.HnswEfConstruction;
        }

        return new JsonObject
        {
            ["type"] = "dense_vector",
            ["dims"] = dims,
            ["index"] = true,
            ["similarity"] = "dot_product",
            ["index_options"] = indexOptions,
        };
    }

    private string Physical(string name) => _options.IndexPrefix + name;

    private string Logical(string physical) =>
        physical.StartsWith(_options.IndexPrefix, StringComparison.Ordinal) ? physical[_options.IndexPrefix.Length..] : physical;

    private async Task<JsonNode?> SendToIndexAsync(EsMethod method, string indexOrAlias, string endpoint, string? body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexOrAlias);
        if (!IndexRules.IsValidName(indexOrAlias))
        {
            throw new VectorIndexNotFoundException(indexOrAlias);
        }

        try
        {
            return await _connection.SendAsync(method, $"/{Physical(indexOrAlias)}/{endpoint}", body, cancellationToken).ConfigureAwait(false);
        }
        catch (ElasticsearchRequestException e) when (e.ErrorType == "index_not_found_exception")
        {
            _definitions.TryRemove(indexOrAlias, out _);
            throw new VectorIndexNotFoundException(indexOrAlias);
        }
    }

    /// <summary>The definition of an index or alias, reused for <see cref="ElasticsearchVectorStoreOptions.DefinitionCacheTtl"/>.</summary>
    private async Task<IndexDefinition> DefinitionAsync(string indexOrAlias, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexOrAlias);
        if (_definitions.TryGetValue(indexOrAlias, out var cached) && cached.ExpiresAt > Environment.TickCount64)
        {
            return cached.Definition;
        }

        var definition = (IndexRules.IsValidName(indexOrAlias) ? await ReadDefinitionAsync(indexOrAlias, cancellationToken).ConfigureAwait(false) : null)
            ?? throw new VectorIndexNotFoundException(indexOrAlias);
        _definitions[indexOrAlias] = (definition, Environment.TickCount64 + (long)_options.DefinitionCacheTtl.TotalMilliseconds);
        return definition;
    }

    private async Task<IndexDefinition?> ReadDefinitionAsync(string indexOrAlias, CancellationToken cancellationToken)
    {
        var body = await _connection.SendAsync(EsMethod.GET, $"/{Physical(indexOrAlias)}/_mapping", null, cancellationToken, allowNotFound: true)
            .ConfigureAwait(false);
        return body is JsonObject { Count: > 0 } indexes ? ParseDefinition(indexes.First().Key, indexes.First().Value) : null;
    }

    /// <summary>An index definition from a <c>_mapping</c> entry; throws when the index is not a vector index of this store.</summary>
    private IndexDefinition? ParseDefinition(string physical, JsonNode? entry)
    {
        var mappings = entry?["mappings"];
        var specific = mappings?["properties"]?["specific"];
        var shared = mappings?["properties"]?["shared"];
        foreach (var (field, node) in new[] { ("specific", specific), ("shared", shared) })
        {
            if (node?["type"]?.GetValue<string>() != "dense_vector" || node["dims"] is null)
            {
                throw new InvalidOperationException(
                    $"Elasticsearch index '{physical}' matches the prefix '{_options.IndexPrefix}' but field '{field}' is not a dense_vector with dims.");
            }
        }

        return new IndexDefinition(
            Logical(physical),
            specific!["dims"]!.GetValue<int>(),
            shared!["dims"]!.GetValue<int>(),
            mappings?["_meta"]?["ms2gan"]?["model_version"]?.GetValue<string>());
    }
}
