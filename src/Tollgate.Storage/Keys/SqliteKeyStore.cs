using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Tollgate.Storage.Keys;

/// <summary>
/// Keys in the <c>keys</c> table of the gateway's SQLite database (the ledger's file). Only the SHA-256
/// hash of a key is stored. Deleting marks the row, so a prefix is never handed out twice and the
/// ledger's key ids stay unambiguous.
/// </summary>
public sealed class SqliteKeyStore : IKeyStore
{
    private const string Columns = "prefix, hash, name, disabled, scopes, retention, threshold, rpm, tpm, max_parallel, allowed_models, expires_at, metadata, created_at, updated_at, deleted_at, clamp_min_output";
    private readonly string _connectionString;

    public SqliteKeyStore(string databasePath)
    {
        SqliteFile.Prepare(databasePath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS keys (
              prefix TEXT PRIMARY KEY,
              hash TEXT NOT NULL UNIQUE,
              name TEXT,
              disabled INTEGER NOT NULL,
              scopes TEXT NOT NULL,
              retention TEXT NOT NULL,
              threshold TEXT,
              rpm INTEGER,
              tpm INTEGER,
              max_parallel INTEGER,
              allowed_models TEXT NOT NULL,
              expires_at TEXT,
              metadata TEXT NOT NULL,
              created_at TEXT NOT NULL,
              updated_at TEXT NOT NULL,
              deleted_at TEXT,
              clamp_min_output INTEGER);
            CREATE TABLE IF NOT EXISTS keys_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
            INSERT OR IGNORE INTO keys_version (id, version) VALUES (1, 0);
            """;
        command.ExecuteNonQuery();
        AddClampColumn(connection);
    }

    /// <summary>A keys table from before the output clamp gets its column; its keys read back with the default clamp.</summary>
    private static void AddClampColumn(SqliteConnection connection)
    {
        using var info = connection.CreateCommand();
        info.CommandText = "SELECT COUNT(*) FROM pragma_table_info('keys') WHERE name = 'clamp_min_output'";
        if (Convert.ToInt64(info.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            using var alter = connection.CreateCommand();
            alter.CommandText = "ALTER TABLE keys ADD COLUMN clamp_min_output INTEGER";
            alter.ExecuteNonQuery();
        }
    }

    public async Task<IReadOnlyList<VirtualKey>> ListAsync(bool includeDeleted = false, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM keys {(includeDeleted ? "" : "WHERE deleted_at IS NULL")} ORDER BY created_at, prefix";
        var list = new List<VirtualKey>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadKey(reader));
        }

        return list;
    }

    public async Task<VirtualKey?> FindAsync(string prefix, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM keys WHERE prefix = $prefix";
        command.Parameters.AddWithValue("$prefix", prefix);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadKey(reader) : null;
    }

    public async Task<bool> TryInsertAsync(VirtualKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT OR IGNORE INTO keys ({Columns}) VALUES ($prefix, $hash, $name, $disabled, $scopes, $retention, $threshold, $rpm, $tpm, $max_parallel, $allowed_models, $expires_at, $metadata, $created_at, $updated_at, $deleted_at, $clamp_min_output)";
        Bind(command, key);
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        if (inserted)
        {
            await BumpVersionAsync(connection, tx, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    public async Task<bool> UpdateAsync(VirtualKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "UPDATE keys SET name = $name, disabled = $disabled, scopes = $scopes, retention = $retention, threshold = $threshold, rpm = $rpm, tpm = $tpm, max_parallel = $max_parallel, allowed_models = $allowed_models, expires_at = $expires_at, metadata = $metadata, updated_at = $updated_at, deleted_at = $deleted_at, clamp_min_output = $clamp_min_output WHERE prefix = $prefix AND hash = $hash";
        Bind(command, key);
        var updated = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        if (updated)
        {
            await BumpVersionAsync(connection, tx, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return updated;
    }

    public async Task<long> VersionAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM keys_version WHERE id = 1";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    private static async Task BumpVersionAsync(SqliteConnection connection, SqliteTransaction tx, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "UPDATE keys_version SET version = version + 1 WHERE id = 1";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Bind(SqliteCommand command, VirtualKey key)
    {
        var p = command.Parameters;
        p.AddWithValue("$prefix", key.Prefix);
        p.AddWithValue("$hash", key.Hash);
        p.AddWithValue("$name", (object?)key.Name ?? DBNull.Value);
        p.AddWithValue("$disabled", key.Disabled ? 1 : 0);
        p.AddWithValue("$scopes", WriteList(key.Scopes));
        p.AddWithValue("$retention", key.Retention);
        p.AddWithValue("$threshold", key.Threshold is { } t ? t.ToString(CultureInfo.InvariantCulture) : DBNull.Value);
        p.AddWithValue("$rpm", key.Rpm is { } rpm ? rpm : DBNull.Value);
        p.AddWithValue("$tpm", key.Tpm is { } tpm ? tpm : DBNull.Value);
        p.AddWithValue("$max_parallel", key.MaxParallel is { } mp ? mp : DBNull.Value);
        p.AddWithValue("$allowed_models", WriteList(key.AllowedModels));
        p.AddWithValue("$expires_at", key.ExpiresAt is { } e ? Time(e) : DBNull.Value);
        p.AddWithValue("$metadata", WriteMap(key.Metadata));
        p.AddWithValue("$created_at", Time(key.CreatedAt));
        p.AddWithValue("$updated_at", Time(key.UpdatedAt));
        p.AddWithValue("$deleted_at", key.DeletedAt is { } d ? Time(d) : DBNull.Value);
        p.AddWithValue("$clamp_min_output", key.ClampMinOutput is { } clamp ? clamp : DBNull.Value);
    }

    private static VirtualKey ReadKey(SqliteDataReader r) => new()
    {
        Prefix = r.GetString(0),
        Hash = r.GetString(1),
        Name = r.IsDBNull(2) ? null : r.GetString(2),
        Disabled = r.GetInt64(3) != 0,
        Scopes = ReadList(r.GetString(4)),
        Retention = r.GetString(5),
        Threshold = r.IsDBNull(6) ? null : decimal.Parse(r.GetString(6), CultureInfo.InvariantCulture),
        Rpm = r.IsDBNull(7) ? null : r.GetInt32(7),
        Tpm = r.IsDBNull(8) ? null : r.GetInt64(8),
        MaxParallel = r.IsDBNull(9) ? null : r.GetInt32(9),
        AllowedModels = ReadList(r.GetString(10)),
        ExpiresAt = r.IsDBNull(11) ? null : ParseTime(r.GetString(11)),
        Metadata = ReadMap(r.GetString(12)),
        CreatedAt = ParseTime(r.GetString(13)),
        UpdatedAt = ParseTime(r.GetString(14)),
        DeletedAt = r.IsDBNull(15) ? null : ParseTime(r.GetString(15)),
        ClampMinOutput = r.IsDBNull(16) ? null : r.GetInt64(16),
    };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string WriteList(IReadOnlyList<string> items)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var s in items)
            {
                w.WriteStringValue(s);
            }

            w.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string WriteMap(IReadOnlyDictionary<string, string> map)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (k, v) in map)
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string[] ReadList(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.GetString() ?? "").ToArray();
    }

    private static Dictionary<string, string> ReadMap(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            map[p.Name] = p.Value.GetString() ?? "";
        }

        return map;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
