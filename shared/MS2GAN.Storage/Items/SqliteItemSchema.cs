using Microsoft.Data.Sqlite;

namespace MS2GAN.Storage.Items;

/// <summary>
/// The item store's schema and its migrations. Applied at open, inside one immediate transaction, so two
/// processes opening the same file at once migrate it once.
/// </summary>
internal static class SqliteItemSchema
{
    // Append only: migration i takes the schema from version i to i + 1. Never edit a released one.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE items (
            id TEXT NOT NULL PRIMARY KEY,
            labels TEXT NOT NULL,
            metadata TEXT NOT NULL,
            text TEXT NULL,
            image_media_ref TEXT NULL,
            image_content_type TEXT NULL,
            image_features BLOB NULL,
            text_features BLOB NULL,
            image_feature_space TEXT NULL,
            text_feature_space TEXT NULL,
            content_hash TEXT NOT NULL,
            state TEXT NOT NULL,
            failure_reason TEXT NULL,
            model_version TEXT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX ix_items_state_id ON items (state, id);
        """,
        """
        ALTER TABLE items ADD COLUMN auto_label TEXT NULL;
        ALTER TABLE items ADD COLUMN auto_label_confidence REAL NULL;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the database up to <see cref="CurrentVersion"/>; does nothing when it is there already.</summary>
    public static void Migrate(SqliteConnection connection)
    {
        using (var wal = connection.CreateCommand())
        {
            // Persistent in the file; cannot be changed inside a transaction.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = Convert.ToString(wal.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The item store could not switch '{connection.DataSource}' to WAL journal mode (it reports '{mode}').");
            }
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);
            SELECT COALESCE(MAX(version), 0) FROM schema_version;
            """;
        var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The item store '{connection.DataSource}' has schema version {version}, newer than this build knows ({CurrentVersion}); run a newer build.");
        }

        for (var next = version; next < CurrentVersion; next++)
        {
            command.Parameters.Clear();
            command.CommandText = Migrations[next];
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $appliedAt);";
            command.Parameters.AddWithValue("$version", next + 1);
            command.Parameters.AddWithValue("$appliedAt", DateTimeOffset.UtcNow.UtcTicks);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
