using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Postgres;
using Tollgate.Storage.Postgres.Keys;
using Tollgate.Storage.Postgres.Ledger;

namespace Tollgate.Cli;

/// <summary>
/// The keys and ledger the commands work on, as the gateway finds them: PostgreSQL when <c>--database-url</c> or
/// <c>TOLLGATE_DATABASE_URL</c> names one (migrated first), else the SQLite file in the data directory.
/// </summary>
internal sealed class CliStorage : IAsyncDisposable
{
    private readonly PostgresDatabase? _database;

    private CliStorage(PostgresDatabase? database, string sqlitePath)
    {
        _database = database;
        Keys = database is not null ? new PostgresKeyStore(database.DataSource) : new SqliteKeyStore(sqlitePath);
        Ledger = database is not null ? new PostgresLedger(database.DataSource) : new SqliteLedger(sqlitePath);
    }

    public IKeyStore Keys { get; }

    public ILedger Ledger { get; }

    public static async Task<CliStorage> OpenAsync(CliArgs a)
    {
        var dataDir = a.Get("data-dir") ?? (Environment.GetEnvironmentVariable("TOLLGATE_DATA_DIR") is { Length: > 0 } d ? d : "data");
        var sqlite = Path.Combine(dataDir, "tollgate.db");
        if (DatabaseUrl(a) is not { } url)
        {
            return new CliStorage(null, sqlite);
        }

        var database = Open(url);
        await database.MigrateAsync().ConfigureAwait(false);
        return new CliStorage(database, sqlite);
    }

    /// <summary><c>--database-url</c>, else <c>TOLLGATE_DATABASE_URL</c>, else null.</summary>
    public static string? DatabaseUrl(CliArgs a) =>
        a.Get("database-url") ?? (Environment.GetEnvironmentVariable("TOLLGATE_DATABASE_URL") is { Length: > 0 } u ? u : null);

    /// <summary>Opens the database, turning a malformed URL into a usage error that names the setting.</summary>
    public static PostgresDatabase Open(string url)
    {
        try
        {
            return PostgresDatabase.Open(url);
        }
        catch (FormatException ex)
        {
            throw new CliException("The database URL " + ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Ledger.DisposeAsync().ConfigureAwait(false);
        if (_database is not null)
        {
            await _database.DisposeAsync().ConfigureAwait(false);
        }
    }
}
