using Tollgate.Gateway.Configuration;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Postgres;
using Tollgate.Storage.Postgres.Keys;
using Tollgate.Storage.Postgres.Ledger;

namespace Tollgate.Cli;

/// <summary>
/// The keys and ledger the commands work on, as the gateway finds them: PostgreSQL when <c>--database-url</c>,
/// <c>TOLLGATE_DATABASE_URL</c> or <c>database_url</c> in tollgate.json names one (migrated first), else the SQLite
/// file in the data directory (<c>--data-dir</c>, <c>TOLLGATE_DATA_DIR</c>, <c>data_dir</c> in tollgate.json).
/// </summary>
internal sealed class CliStorage : IAsyncDisposable
{
    private readonly PostgresDatabase? _database;

    private CliStorage(PostgresDatabase? database, string sqlitePath)
    {
        _database = database;
        Keys = database is not null ? new PostgresKeyStore(database.DataSource) : new SqliteKeyStore(sqlitePath);

        // A gateway killed before it stored its last entries left them in its journal: stored now, so the commands
        // see what its next start would (a live gateway's journal is locked and left alone).
        var journalDir = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sqlitePath))!, "journal");
        var journal = Directory.Exists(journalDir) ? LedgerJournal.Open(journalDir) : null;
        Ledger = database is not null ? new PostgresLedger(database.DataSource, journal: journal) : new SqliteLedger(sqlitePath, journal);
    }

    public IKeyStore Keys { get; }

    public ILedger Ledger { get; }

    public static async Task<CliStorage> OpenAsync(CliArgs a)
    {
        var (dataDir, url) = Locate(a);
        var sqlite = Path.Combine(dataDir, "tollgate.db");
        if (url is null)
        {
            return new CliStorage(null, sqlite);
        }

        var database = Open(url);
        await database.MigrateAsync().ConfigureAwait(false);
        return new CliStorage(database, sqlite);
    }

    /// <summary>
    /// The data directory and database URL the gateway would use, read by its own loader from the environment and
    /// tollgate.json (<c>--config FILE</c>, else ./tollgate.json when it exists; the variables win over the file);
    /// <c>--data-dir</c> and <c>--database-url</c> win over both.
    /// </summary>
    public static (string DataDir, string? DatabaseUrl) Locate(CliArgs a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var config = a.Get("config");
        if (config is not null && !File.Exists(config))
        {
            throw new CliException($"The config file '{config}' does not exist.");
        }

        config ??= File.Exists("tollgate.json") ? "tollgate.json" : null;
        GatewayOptions options;
        try
        {
            options = GatewayOptionsLoader.Load(Environment.GetEnvironmentVariable, config);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            throw new CliException(ex.Message);
        }

        return (a.Get("data-dir") ?? options.DataDirectory, a.Get("database-url") ?? options.DatabaseUrl);
    }

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
