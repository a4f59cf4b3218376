using Tollgate.Gateway.Configuration;
using Tollgate.Storage.Postgres;
using Tollgate.Storage.Postgres.Responses;
using Tollgate.Storage.Redis;
using Tollgate.Storage.Responses;

namespace Tollgate.Gateway.SharedState;

/// <summary>
/// The engines the configuration chose: PostgreSQL (<c>database_url</c>) or the SQLite file in the data directory for
/// the ledger and keys; Redis (<c>redis_url</c>) or this process's memory for limits and budgets. Opened once at start,
/// with the database migrated before the first request.
/// </summary>
internal sealed class StorageEngines : IAsyncDisposable
{
    private StorageEngines(string sqlitePath, PostgresDatabase? database, RedisSharedState? redis, bool ledgerFsync)
    {
        SqlitePath = sqlitePath;
        LedgerFsync = ledgerFsync;
        Database = database;
        Redis = redis;
    }

    /// <summary>The SQLite database of the data directory (used when there is no PostgreSQL).</summary>
    public string SqlitePath { get; }

    /// <summary>The ledger journal of the data directory (entries written before they are queued for the database).</summary>
    public string JournalDirectory => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(SqlitePath))!, "journal");

    /// <summary>Flush each journal line to the disk.</summary>
    public bool LedgerFsync { get; }

    public PostgresDatabase? Database { get; }

    public RedisSharedState? Redis { get; }

    /// <summary>Where the ledger and keys are, without a password.</summary>
    public string DatabaseDisplay => Database?.Display ?? "sqlite:" + Path.GetFullPath(SqlitePath);

    /// <summary>Where limits and budgets are kept, without a password.</summary>
    public string RedisDisplay => Redis?.Display ?? "in-memory (this instance only)";

    /// <summary>The stored Responses API responses: in PostgreSQL when there is one (so every instance finds them), else in the SQLite file.</summary>
    public IResponseStore ResponseStore() =>
        Database is { } db ? new PostgresResponseStore(db.DataSource) : new SqliteResponseStore(SqlitePath);

    /// <summary>Opens what <paramref name="options"/> names and applies pending migrations.</summary>
    public static async Task<StorageEngines> OpenAsync(GatewayOptions options, TimeProvider time)
    {
        var sqlite = Path.Combine(options.DataDirectory, "tollgate.db");
        PostgresDatabase? database = null;
        RedisSharedState? redis = null;
        try
        {
            if (options.DatabaseUrl is { } url)
            {
                database = PostgresDatabase.Open(url);
                await database.MigrateAsync().ConfigureAwait(false);
            }

            if (options.RedisUrl is { } redisUrl)
            {
                redis = await RedisSharedState.ConnectAsync(redisUrl, time, options.RedisLease).ConfigureAwait(false);
            }

            return new StorageEngines(sqlite, database, redis, options.LedgerFsync);
        }
        catch
        {
            if (database is not null)
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync().ConfigureAwait(false);
        }

        if (Database is not null)
        {
            await Database.DisposeAsync().ConfigureAwait(false);
        }
    }
}
