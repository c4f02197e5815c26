using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace MS2GAN.Storage.Items;

/// <summary>
/// The item store in one SQLite file: WAL journal (readers never wait for the writer), synchronous=NORMAL,
/// a schema version table migrated at open, features as little-endian float32 BLOBs, labels and metadata
/// as JSON. Safe for concurrent use: every operation takes a pooled connection of its own, writers take
/// the write lock up front (BEGIN IMMEDIATE) and wait for each other through the busy timeout.
/// </summary>
public sealed class SqliteItemStore : IItemStore, IDisposable
{
    // A write is one short transaction; waiting this long means something is badly stuck.
    private const int BusyTimeoutMilliseconds = 30_000;
    // Well below SQLite's limit on host parameters in one statement.
    private const int MaxIdsPerQuery = 500;

    private const string Columns =
        "id, labels, metadata, text, image_media_ref, image_content_type, image_features, text_features, " +
        "image_feature_space, text_feature_space, content_hash, state, failure_reason, model_version, created_at, updated_at, " +
        "auto_label, auto_label_confidence";

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private volatile bool _disposed;

    /// <summary>Opens (creating if needed) the item store in <paramref name="databasePath"/> and migrates its schema.</summary>
    /// <param name="databasePath">The SQLite file; its folder is created if missing.</param>
    /// <param name="timeProvider">Clock for the timestamps; the system clock by default.</param>
    public SqliteItemStore(string databasePath, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        DatabasePath = fullPath;
        _time = timeProvider ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();

        using var connection = Open();
        SqliteItemSchema.Migrate(connection);
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public async Task<UpsertOutcome> UpsertAsync(ItemRecord item, CancellationToken cancellationToken = default)
    {
        var outcomes = await UpsertManyAsync([item], cancellationToken).ConfigureAwait(false);
        return outcomes[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<UpsertOutcome>> UpsertManyAsync(IReadOnlyList<ItemRecord> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = 0; i < items.Count; i++)
        {
            ItemValidation.Check(items[i], i);
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (items.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<UpsertOutcome>>([]);
        }

        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var now = _time.GetUtcNow().UtcTicks;

        using var select = Command(connection, transaction, "SELECT content_hash FROM items WHERE id = $id;");
        var selectId = select.Parameters.Add("$id", SqliteType.Text);
        using var insert = Command(connection, transaction, $"""
            INSERT INTO items ({Columns})
            VALUES ($id, $labels, $metadata, $text, $imageMediaRef, $imageContentType, $imageFeatures, $textFeatures,
                    $imageFeatureSpace, $textFeatureSpace, $contentHash, $state, NULL, NULL, $now, $now, NULL, NULL);
            """);
        using var replace = Command(connection, transaction, """
            UPDATE items SET labels = $labels, metadata = $metadata, text = $text, image_media_ref = $imageMediaRef,
                image_content_type = $imageContentType, image_features = $imageFeatures, text_features = $textFeatures,
                image_feature_space = $imageFeatureSpace, text_feature_space = $textFeatureSpace, content_hash = $contentHash,
                state = $state, failure_reason = NULL, model_version = NULL, auto_label = NULL, auto_label_confidence = NULL,
                updated_at = $now
            WHERE id = $id;
            """);

        var outcomes = new UpsertOutcome[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var item = items[i];
            selectId.Value = item.Id;
            var existingHash = select.ExecuteScalar() as string;
            if (existingHash is not null && string.Equals(existingHash, item.ContentHash, StringComparison.Ordinal))
            {
                outcomes[i] = UpsertOutcome.Unchanged;
                continue;
            }
            var write = existingHash is null ? insert : replace;
            BindContent(write, item, now);
            write.ExecuteNonQuery();
            outcomes[i] = existingHash is null ? UpsertOutcome.Created : UpsertOutcome.Replaced;
        }
        transaction.Commit();
        return Task.FromResult<IReadOnlyList<UpsertOutcome>>(outcomes);
    }

    /// <inheritdoc />
    public async Task<ItemRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var found = await GetManyAsync([id], cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ItemRecord>> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        var wanted = ItemValidation.DistinctIds(ids);
        var found = new Dictionary<string, ItemRecord>(StringComparer.Ordinal);
        SelectByIds(wanted, Columns, reader =>
        {
            var item = ReadItem(reader);
            found[item.Id] = item;
        }, cancellationToken);
        IReadOnlyList<ItemRecord> ordered = [.. wanted.Where(found.ContainsKey).Select(id => found[id])];
        return Task.FromResult(ordered);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> GetContentHashesAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        SelectByIds(ItemValidation.DistinctIds(ids), "id, content_hash", reader => found[reader.GetString(0)] = reader.GetString(1), cancellationToken);
        return Task.FromResult<IReadOnlyDictionary<string, string>>(found);
    }

    private void SelectByIds(IReadOnlyList<string> ids, string columns, Action<SqliteDataReader> read, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }
        using var connection = Open();
        foreach (var chunk in ids.Chunk(MaxIdsPerQuery))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var command = connection.CreateCommand();
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "$id" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                command.Parameters.AddWithValue(names[i], chunk[i]);
            }
            command.CommandText = $"SELECT {columns} FROM items WHERE id IN ({string.Join(", ", names)});";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                read(reader);
            }
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = Command(connection, null, "DELETE FROM items WHERE id = $id;");
        command.Parameters.AddWithValue("$id", id);
        return Task.FromResult(command.ExecuteNonQuery() > 0);
    }

    /// <inheritdoc />
    public Task<bool> SetCachedFeaturesAsync(
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
        if (imageFeatures is null && textFeatures is null)
        {
            return Task.FromResult(false);
        }

        using var connection = Open();
        using var command = Command(connection, null, """
            UPDATE items SET
                image_features = CASE WHEN $imageFeatures IS NULL THEN image_features ELSE $imageFeatures END,
                image_feature_space = CASE WHEN $imageFeatures IS NULL THEN image_feature_space ELSE $imageFeatureSpace END,
                text_features = CASE WHEN $textFeatures IS NULL THEN text_features ELSE $textFeatures END,
                text_feature_space = CASE WHEN $textFeatures IS NULL THEN text_feature_space ELSE $textFeatureSpace END
            WHERE id = $id AND content_hash = $contentHash;
            """);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$contentHash", expectedContentHash);
        command.Parameters.Add("$imageFeatures", SqliteType.Blob).Value = Blob(imageFeatures);
        command.Parameters.AddWithValue("$imageFeatureSpace", Nullable(imageFeatureSpace));
        command.Parameters.Add("$textFeatures", SqliteType.Blob).Value = Blob(textFeatures);
        command.Parameters.AddWithValue("$textFeatureSpace", Nullable(textFeatureSpace));
        return Task.FromResult(command.ExecuteNonQuery() > 0);
    }

    /// <inheritdoc />
    public Task<int> MarkIndexedAsync(IReadOnlyCollection<string> ids, string modelVersion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        var now = _time.GetUtcNow().UtcTicks;
        return UpdateEach(ids, """
            UPDATE items SET state = $state, model_version = $modelVersion, failure_reason = NULL, updated_at = $now
            WHERE id = $id;
            """, (command, _) =>
            {
                command.Parameters.AddWithValue("$state", ItemStateNames.Name(ItemState.Indexed));
                command.Parameters.AddWithValue("$modelVersion", modelVersion);
                command.Parameters.AddWithValue("$now", now);
            }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> SetAutoLabelsAsync(
        IReadOnlyCollection<string> ids, IReadOnlyDictionary<string, AutoLabel> autoLabels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(autoLabels);
        return UpdateEach(ids, "UPDATE items SET auto_label = $label, auto_label_confidence = $confidence WHERE id = $id;", (command, id) =>
        {
            var autoLabel = autoLabels.GetValueOrDefault(id);
            command.Parameters.AddWithValue("$label", autoLabel is null ? DBNull.Value : autoLabel.Label);
            command.Parameters.AddWithValue("$confidence", autoLabel is null ? DBNull.Value : autoLabel.Confidence);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="sql"/> once per id in one transaction; before each run its parameters are cleared, <c>$id</c>
    /// is set and <paramref name="bind"/> adds the others. Returns how many rows changed (an id given twice counts twice).
    /// </summary>
    private Task<int> UpdateEach(
        IReadOnlyCollection<string> ids, string sql, Action<SqliteCommand, string> bind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        if (ids.Count == 0)
        {
            return Task.FromResult(0);
        }

        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = Command(connection, transaction, sql);
        var updated = 0;
        foreach (var id in ids)
        {
            ArgumentNullException.ThrowIfNull(id, nameof(ids));
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$id", id);
            bind(command, id);
            updated += command.ExecuteNonQuery();
        }
        transaction.Commit();
        return Task.FromResult(updated);
    }

    /// <inheritdoc />
    public Task<bool> MarkFailedAsync(string id, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = Command(connection, null, """
            UPDATE items SET state = $state, failure_reason = $reason, model_version = NULL, auto_label = NULL,
                auto_label_confidence = NULL, updated_at = $now
            WHERE id = $id;
            """);
        command.Parameters.AddWithValue("$state", ItemStateNames.Name(ItemState.Failed));
        command.Parameters.AddWithValue("$reason", reason);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().UtcTicks);
        command.Parameters.AddWithValue("$id", id);
        return Task.FromResult(command.ExecuteNonQuery() > 0);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<ItemState, long>> CountByStateAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var counts = Enum.GetValues<ItemState>().ToDictionary(state => state, _ => 0L);
        using var connection = Open();
        using var command = Command(connection, null, "SELECT state, COUNT(*) FROM items GROUP BY state;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            counts[ItemStateNames.Parse(reader.GetString(0))] = reader.GetInt64(1);
        }
        return Task.FromResult<IReadOnlyDictionary<ItemState, long>>(counts);
    }

    /// <inheritdoc />
    public Task<LabelCounts> CountLabelsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        long labelled;
        using (var count = Command(connection, null, "SELECT COUNT(*) FROM items WHERE state <> 'failed' AND json_array_length(labels) > 0;"))
        {
            labelled = (long)count.ExecuteScalar()!;
        }
        var byLabel = new Dictionary<string, long>(StringComparer.Ordinal);
        using var command = Command(connection, null,
            "SELECT label.value, COUNT(DISTINCT items.id) FROM items, json_each(items.labels) AS label WHERE items.state <> 'failed' GROUP BY label.value;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            byLabel[reader.GetString(0)] = reader.GetInt64(1);
        }
        return Task.FromResult(new LabelCounts(labelled, byLabel));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListIdsAsync(string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = ListCommand(connection, "id", state: null, afterId, limit);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }
        return Task.FromResult<IReadOnlyList<string>>(ids);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ItemRecord>> ListAsync(ItemState? state, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = ListCommand(connection, Columns, state, afterId, limit);
        using var reader = command.ExecuteReader();
        var items = new List<ItemRecord>();
        while (reader.Read())
        {
            items.Add(ReadItem(reader));
        }
        return Task.FromResult<IReadOnlyList<ItemRecord>>(items);
    }

    /// <summary>Releases the pooled connections, so the file can be moved or deleted.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private SqliteConnection Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            // Per connection; cheap enough to repeat on a pooled one.
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static SqliteCommand ListCommand(SqliteConnection connection, string columns, ItemState? state, string? afterId, int limit)
    {
        var conditions = new List<string>(2);
        var command = connection.CreateCommand();
        if (state is { } wantedState)
        {
            conditions.Add("state = $state");
            command.Parameters.AddWithValue("$state", ItemStateNames.Name(wantedState));
        }
        if (afterId is not null)
        {
            conditions.Add("id > $afterId");
            command.Parameters.AddWithValue("$afterId", afterId);
        }
        command.Parameters.AddWithValue("$limit", limit);
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        command.CommandText = $"SELECT {columns} FROM items {where} ORDER BY id LIMIT $limit;";
        return command;
    }

    private static void BindContent(SqliteCommand command, ItemRecord item, long now)
    {
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$id", item.Id);
        command.Parameters.AddWithValue("$labels", JsonSerializer.Serialize(item.Labels));
        command.Parameters.AddWithValue("$metadata", JsonSerializer.Serialize(item.Metadata));
        command.Parameters.AddWithValue("$text", Nullable(item.Text));
        command.Parameters.AddWithValue("$imageMediaRef", Nullable(item.ImageMediaRef));
        command.Parameters.AddWithValue("$imageContentType", Nullable(item.ImageContentType));
        command.Parameters.Add("$imageFeatures", SqliteType.Blob).Value = Blob(item.ImageFeatures);
        command.Parameters.Add("$textFeatures", SqliteType.Blob).Value = Blob(item.TextFeatures);
        command.Parameters.AddWithValue("$imageFeatureSpace", Nullable(item.ImageFeatureSpace));
        command.Parameters.AddWithValue("$textFeatureSpace", Nullable(item.TextFeatureSpace));
        command.Parameters.AddWithValue("$contentHash", item.ContentHash);
        command.Parameters.AddWithValue("$state", ItemStateNames.Name(ItemState.Ingested));
        command.Parameters.AddWithValue("$now", now);
    }

    private static ItemRecord ReadItem(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Labels = JsonSerializer.Deserialize<string[]>(reader.GetString(1)) ?? [],
        Metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2)) ?? [],
        Text = reader.IsDBNull(3) ? null : reader.GetString(3),
        ImageMediaRef = reader.IsDBNull(4) ? null : reader.GetString(4),
        ImageContentType = reader.IsDBNull(5) ? null : reader.GetString(5),
        ImageFeatures = reader.IsDBNull(6) ? null : FeatureBlob.FromBytes((byte[])reader.GetValue(6)),
        TextFeatures = reader.IsDBNull(7) ? null : FeatureBlob.FromBytes((byte[])reader.GetValue(7)),
        ImageFeatureSpace = reader.IsDBNull(8) ? null : reader.GetString(8),
        TextFeatureSpace = reader.IsDBNull(9) ? null : reader.GetString(9),
        ContentHash = reader.GetString(10),
        State = ItemStateNames.Parse(reader.GetString(11)),
        FailureReason = reader.IsDBNull(12) ? null : reader.GetString(12),
        ModelVersion = reader.IsDBNull(13) ? null : reader.GetString(13),
        CreatedAt = new DateTimeOffset(reader.GetInt64(14), TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(reader.GetInt64(15), TimeSpan.Zero),
        AutoLabel = reader.IsDBNull(16) ? null : new AutoLabel(reader.GetString(16), reader.GetDouble(17)),
    };

    private static object Nullable(string? value) => value is null ? DBNull.Value : value;

    private static object Blob(float[]? values) => values is null ? DBNull.Value : FeatureBlob.ToBytes(values);
}
