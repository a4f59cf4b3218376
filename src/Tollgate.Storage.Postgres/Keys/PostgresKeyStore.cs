using Npgsql;
using NpgsqlTypes;
using Tollgate.Storage.Keys;

namespace Tollgate.Storage.Postgres.Keys;

/// <summary>
/// Keys in PostgreSQL, shared by every instance. Only the SHA-256 hash of a key is stored; deleting marks the row so
/// a prefix is never handed out twice. A trigger moves <c>keys_version</c> and sends NOTIFY <c>tollgate_keys</c> on
/// every change, whoever makes it, and <see cref="WatchAsync"/> listens for it.
/// </summary>
public sealed class PostgresKeyStore(NpgsqlDataSource dataSource) : IKeyStore, IKeyChangeSource
{
    /// <summary>The NOTIFY channel of key changes.</summary>
    public const string Channel = "tollgate_keys";

    private const string Columns = "prefix, hash, name, disabled, scopes, retention, threshold, rpm, tpm, max_parallel, allowed_models, expires_at, " +
        "ARRAY(SELECT k FROM jsonb_each_text(metadata) AS m(k, v) ORDER BY k), ARRAY(SELECT v FROM jsonb_each_text(metadata) AS m(k, v) ORDER BY k), created_at, updated_at, deleted_at, clamp_min_output";

    private static readonly TimeSpan s_probeInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_retryPause = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<VirtualKey>> ListAsync(bool includeDeleted = false, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM keys {(includeDeleted ? "" : "WHERE deleted_at IS NULL")} ORDER BY created_at, prefix");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<VirtualKey>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public async Task<VirtualKey?> FindAsync(string prefix, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM keys WHERE prefix = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async Task<bool> TryInsertAsync(VirtualKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO keys (prefix, hash, name, disabled, scopes, retention, threshold, rpm, tpm, max_parallel, allowed_models, expires_at, metadata, created_at, updated_at, deleted_at, clamp_min_output) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, jsonb_object($13, $14), $15, $16, $17, $18) ON CONFLICT DO NOTHING");
        Bind(command, key);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> UpdateAsync(VirtualKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var command = dataSource.CreateCommand(
            "UPDATE keys SET name = $3, disabled = $4, scopes = $5, retention = $6, threshold = $7, rpm = $8, tpm = $9, max_parallel = $10, allowed_models = $11, " +
            "expires_at = $12, metadata = jsonb_object($13, $14), updated_at = $16, deleted_at = $17, clamp_min_output = $18 WHERE prefix = $1 AND hash = $2");
        Bind(command, key);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<long> VersionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT version FROM keys_version WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    public async Task WatchAsync(Action onChange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        var reconnecting = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, _) => onChange();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (reconnecting)
                {
                    // Changes made while the connection was down sent notices nobody heard.
                    onChange();
                    reconnecting = false;
                }

                while (!cancellationToken.IsCancellationRequested)
                {
                    // A quiet connection may be a dead one: probe it now and then so a lost server is noticed.
                    if (!await connection.WaitAsync(s_probeInterval, cancellationToken).ConfigureAwait(false))
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                reconnecting = true;
                try
                {
                    await Task.Delay(s_retryPause, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static void Bind(NpgsqlCommand command, VirtualKey key)
    {
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = key.Prefix });
        p.Add(new NpgsqlParameter<string> { TypedValue = key.Hash });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)key.Name ?? DBNull.Value });
        p.Add(new NpgsqlParameter<bool> { TypedValue = key.Disabled });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. key.Scopes], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<string> { TypedValue = key.Retention });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Numeric, Value = key.Threshold is { } t ? t : DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = key.Rpm is { } rpm ? rpm : DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = key.Tpm is { } tpm ? tpm : DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = key.MaxParallel is { } mp ? mp : DBNull.Value });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. key.AllowedModels], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = key.ExpiresAt is { } e ? e.UtcDateTime : DBNull.Value });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. key.Metadata.Keys], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. key.Metadata.Values], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = key.CreatedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = key.UpdatedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = key.DeletedAt is { } d ? d.UtcDateTime : DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = key.ClampMinOutput is { } clamp ? clamp : DBNull.Value });
    }

    private static VirtualKey Read(NpgsqlDataReader r)
    {
        var metaKeys = r.GetFieldValue<string[]>(12);
        var metaValues = r.GetFieldValue<string[]>(13);
        var metadata = new Dictionary<string, string>(metaKeys.Length, StringComparer.Ordinal);
        for (var i = 0; i < metaKeys.Length; i++)
        {
            metadata[metaKeys[i]] = metaValues[i];
        }

        return new VirtualKey
        {
            Prefix = r.GetString(0),
            Hash = r.GetString(1),
            Name = r.IsDBNull(2) ? null : r.GetString(2),
            Disabled = r.GetBoolean(3),
            Scopes = r.GetFieldValue<string[]>(4),
            Retention = r.GetString(5),
            Threshold = r.IsDBNull(6) ? null : r.GetDecimal(6),
            Rpm = r.IsDBNull(7) ? null : r.GetInt32(7),
            Tpm = r.IsDBNull(8) ? null : r.GetInt64(8),
            MaxParallel = r.IsDBNull(9) ? null : r.GetInt32(9),
            AllowedModels = r.GetFieldValue<string[]>(10),
            ExpiresAt = r.IsDBNull(11) ? null : Utc(r.GetDateTime(11)),
            Metadata = metadata,
            CreatedAt = Utc(r.GetDateTime(14)),
            UpdatedAt = Utc(r.GetDateTime(15)),
            DeletedAt = r.IsDBNull(16) ? null : Utc(r.GetDateTime(16)),
            ClampMinOutput = r.IsDBNull(17) ? null : r.GetInt64(17),
        };
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero);
}
