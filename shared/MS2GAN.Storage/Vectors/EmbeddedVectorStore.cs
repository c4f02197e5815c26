using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MS2GAN.Storage.Vectors.Embedded;

namespace MS2GAN.Storage.Vectors;

/// <summary>
/// The embedded vector store: file-backed, in-process, no server. Each index lives in its own folder under
/// <c>{RootDirectory}/indexes/</c> (definition, write-ahead log, snapshot, optional HNSW graph); aliases live in
/// <c>{RootDirectory}/aliases.json</c>, replaced atomically. A new instance over the same folder sees everything
/// acknowledged before. Thread-safe; one instance per folder.
/// </summary>
public sealed class EmbeddedVectorStore : IVectorStore, IDisposable, IAsyncDisposable
{
    private const string IndexesFolder = "indexes";
    private const string AliasesFile = "aliases.json";

    private readonly EmbeddedVectorStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string _indexesDirectory;
    private readonly string _aliasesPath;
    private readonly ConcurrentDictionary<string, VectorIndex> _indexes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _catalogGate = new(1, 1);
    private volatile IReadOnlyDictionary<string, string> _aliases;
    private bool _disposed;

    /// <summary>Opens the store, loading every index (snapshot and log replay) and the aliases.</summary>
    public EmbeddedVectorStore(EmbeddedVectorStoreOptions options, ILogger<EmbeddedVectorStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _indexesDirectory = Path.Combine(options.RootDirectory, IndexesFolder);
        _aliasesPath = Path.Combine(options.RootDirectory, AliasesFile);
        Directory.CreateDirectory(_indexesDirectory);
        _aliases = File.Exists(_aliasesPath)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllBytes(_aliasesPath)) ?? []
            : new Dictionary<string, string>();

        foreach (var directory in Directory.EnumerateDirectories(_indexesDirectory))
        {
            var name = Path.GetFileName(directory);
            if (name.StartsWith('.'))
            {
                // Leftovers of a create or delete interrupted by a crash.
                Directory.Delete(directory, recursive: true);
                continue;
            }

            var definitionPath = Path.Combine(directory, VectorIndex.DefinitionFile);
            var definition = JsonSerializer.Deserialize<IndexDefinition>(File.ReadAllBytes(definitionPath))
                ?? throw new InvalidDataException($"'{definitionPath}' is empty.");
            _indexes[name] = VectorIndex.Open(definition, directory, options, _logger);
        }
    }

    /// <inheritdoc />
    public async Task CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default)
    {
        IndexRules.ValidateDefinition(definition);

        await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (_aliases.ContainsKey(definition.Name))
            {
                throw new InvalidOperationException($"'{definition.Name}' is an alias; an index cannot have the same name.");
            }

            if (_indexes.TryGetValue(definition.Name, out var existing))
            {
                if (existing.Definition != definition)
                {
                    throw new InvalidOperationException(
                        $"Index '{definition.Name}' exists with a different definition ({existing.Definition}).");
                }

                return;
            }

            // Built in a hidden folder and renamed, so a crash never leaves an index without its definition.
            var temp = Path.Combine(_indexesDirectory, $".creating-{Guid.NewGuid():N}");
            Directory.CreateDirectory(temp);
            AtomicFile.WriteAllBytes(Path.Combine(temp, VectorIndex.DefinitionFile), JsonSerializer.SerializeToUtf8Bytes(definition));
            var directory = Path.Combine(_indexesDirectory, definition.Name);
            Directory.Move(temp, directory);
            _indexes[definition.Name] = VectorIndex.Open(definition, directory, _options, _logger);
            _logger.LogInformation(
                "Vector index {Index} created ({SpecificDim}+{SharedDim} dims, model {ModelVersion})",
                definition.Name, definition.SpecificDim, definition.SharedDim, definition.ModelVersion);
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteIndexAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (!_indexes.TryGetValue(name, out var index))
            {
                return false;
            }

            var remaining = _aliases.Where(a => a.Value != name).ToDictionary(a => a.Key, a => a.Value);
            if (remaining.Count != _aliases.Count)
            {
                WriteAliases(remaining);
            }

            _indexes.TryRemove(name, out _);
            index.Dispose();
            var doomed = Path.Combine(_indexesDirectory, $".deleted-{Guid.NewGuid():N}");
            Directory.Move(index.Directory, doomed);
            Directory.Delete(doomed, recursive: true);
            _logger.LogInformation("Vector index {Index} deleted", name);
            return true;
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IndexDefinition>> ListIndexesAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        IReadOnlyList<IndexDefinition> list = [.. _indexes.Values.Select(i => i.Definition).OrderBy(d => d.Name, StringComparer.Ordinal)];
        return Task.FromResult(list);
    }

    /// <inheritdoc />
    public Task<IndexDefinition?> GetIndexAsync(string indexOrAlias, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Task.FromResult(TryResolve(indexOrAlias)?.Definition);
    }

    /// <inheritdoc />
    public Task UpsertAsync(string indexOrAlias, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default) =>
        Resolve(indexOrAlias).UpsertAsync(records, cancellationToken);

    /// <inheritdoc />
    public Task<int> DeleteItemAsync(string indexOrAlias, string itemId, CancellationToken cancellationToken = default) =>
        Resolve(indexOrAlias).DeleteItemAsync(itemId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<VectorHit>> SearchAsync(string indexOrAlias, VectorQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Resolve(indexOrAlias).SearchAsync(query, cancellationToken);
    }

    /// <summary>
    /// Answers many queries in one call, in their order: in exact mode (and for the queries the HNSW graph cannot
    /// take) all of them in one pass over the vectors, blocks of rows against tiles of queries, so a caller with
    /// hundreds of queries pays for about one scan instead of one each. Each answer equals what
    /// <see cref="SearchAsync"/> gives for that query.
    /// </summary>
    public Task<IReadOnlyList<IReadOnlyList<VectorHit>>> SearchBatchAsync(
        string indexOrAlias, IReadOnlyList<VectorQuery> queries, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var index = Resolve(indexOrAlias);
        return Task.Run<IReadOnlyList<IReadOnlyList<VectorHit>>>(() => index.SearchBatch(queries, cancellationToken), cancellationToken);
    }

    /// <summary>Exact answers to several queries from one shared pass over the index (for tests of the shared scan).</summary>
    internal IReadOnlyList<VectorHit>[] ScanTogether(string indexOrAlias, IReadOnlyList<VectorQuery> queries) =>
        Resolve(indexOrAlias).ScanTogether(queries);

    /// <inheritdoc />
    public Task<long> CountAsync(string indexOrAlias, CancellationToken cancellationToken = default) =>
        Task.FromResult(Resolve(indexOrAlias).Count);

    /// <inheritdoc />
    public async Task SetAliasAsync(string alias, string indexName, CancellationToken cancellationToken = default)
    {
        IndexRules.ValidateName(alias, "alias");
        await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (!_indexes.ContainsKey(indexName))
            {
                throw new VectorIndexNotFoundException(indexName);
            }

            if (_indexes.ContainsKey(alias))
            {
                throw new InvalidOperationException($"'{alias}' is an index; an alias cannot have the same name.");
            }

            var updated = new Dictionary<string, string>(_aliases, StringComparer.Ordinal) { [alias] = indexName };
            WriteAliases(updated);
            _logger.LogInformation("Vector alias {Alias} now points to {Index}", alias, indexName);
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    /// <inheritdoc />
    public Task<string?> GetAliasAsync(string alias, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Task.FromResult(_aliases.TryGetValue(alias, out var index) ? index : null);
    }

    /// <summary>
    /// In <see cref="VectorSearchMode.Hnsw"/> mode, waits until the background graph holds every record of the index.
    /// Returns true when searches of the index now use the graph (it has at least
    /// <see cref="EmbeddedVectorStoreOptions.HnswThreshold"/> records); false in exact mode.
    /// </summary>
    public Task<bool> WaitForGraphAsync(string indexOrAlias, CancellationToken cancellationToken = default) =>
        Resolve(indexOrAlias).WaitForGraphAsync(cancellationToken);

    /// <summary>The state of an index's HNSW graphs (null in exact mode), for benchmarks and tests.</summary>
    internal GraphStats? GraphStats(string indexOrAlias) => Resolve(indexOrAlias).GraphStats();

    /// <summary>Changes an index's graph ef and exact-filter selectivity from now on (benchmarks sweep them on one graph).</summary>
    internal void Tune(string indexOrAlias, int? expansionSearch, double? filterExactBelow) =>
        Resolve(indexOrAlias).Tune(expansionSearch, filterExactBelow);

    /// <summary>Closes every index (saving HNSW graphs) and releases the files.</summary>
    public void Dispose()
    {
        _catalogGate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var index in _indexes.Values)
            {
                index.Dispose();
            }

            _indexes.Clear();
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void WriteAliases(Dictionary<string, string> aliases)
    {
        // The file first: if it cannot be written, readers keep the old mapping.
        AtomicFile.WriteAllBytes(_aliasesPath, JsonSerializer.SerializeToUtf8Bytes(aliases));
        _aliases = aliases;
    }

    private VectorIndex? TryResolve(string indexOrAlias)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexOrAlias);
        var name = _aliases.TryGetValue(indexOrAlias, out var target) ? target : indexOrAlias;
        return _indexes.TryGetValue(name, out var index) ? index : null;
    }

    private VectorIndex Resolve(string indexOrAlias)
    {
        ThrowIfDisposed();
        return TryResolve(indexOrAlias) ?? throw new VectorIndexNotFoundException(indexOrAlias);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
