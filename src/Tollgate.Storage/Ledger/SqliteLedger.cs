using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// The embedded ledger: entries go through a <see cref="LedgerQueue"/> to one writer that stores them in batched
/// transactions, so a request never waits for the disk. When the queue is full, <see cref="Append"/> waits
/// rather than dropping: a charged request is never lost. Disposing drains the queue first.
/// </summary>
public sealed partial class SqliteLedger : ILedger
{
    // Columns added after the first release, with their types: added to an older ledger table when it opens.
    private static readonly (string Name, string Type)[] s_addedColumns = [("list_cost", "TEXT"), ("attempts", "TEXT"), ("over_reserved", "TEXT")];
    private readonly string _connectionString;
    private readonly LedgerQueue _queue;

    /// <param name="databasePath">The database file (created when missing).</param>
    /// <param name="journal">Where entries are written before they are queued; what an earlier process left in it is stored first.</param>
    /// <param name="onWriteError">Told of each failed batch (kept and retried) and each entry the journal could not take.</param>
    public SqliteLedger(string databasePath, LedgerJournal? journal = null, Action<Exception>? onWriteError = null)
    {
        SqliteFile.Prepare(databasePath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
        using (var connection = Open())
        {
            Execute(connection, """
                PRAGMA journal_mode=WAL;
                CREATE TABLE IF NOT EXISTS ledger (
                  seq INTEGER PRIMARY KEY AUTOINCREMENT,
                  id TEXT NOT NULL,
                  time TEXT NOT NULL,
                  key_id TEXT,
                  endpoint TEXT NOT NULL,
                  provider TEXT,
                  model TEXT,
                  stream INTEGER NOT NULL,
                  status INTEGER NOT NULL,
                  error_type TEXT,
                  latency_ms REAL NOT NULL,
                  ttft_ms REAL,
                  input_tokens INTEGER NOT NULL,
                  cache_read_tokens INTEGER NOT NULL,
                  cache_write_tokens INTEGER NOT NULL,
                  output_tokens INTEGER NOT NULL,
                  reasoning_tokens INTEGER NOT NULL,
                  cost TEXT,
                  estimated INTEGER NOT NULL,
                  unpriced INTEGER NOT NULL,
                  list_cost TEXT,
                  attempts TEXT,
                  over_reserved TEXT);
                CREATE INDEX IF NOT EXISTS ledger_time ON ledger(time);
                CREATE INDEX IF NOT EXISTS ledger_key ON ledger(key_id, time);
                """);
            AddMissingColumns(connection);
            UniqueIds(connection);
        }

        // A failed batch is kept and retried: a ledger that drops charged requests is worse than a slow one.
        _queue = new LedgerQueue(
            batch =>
            {
                WriteBatch(batch);
                return Task.CompletedTask;
            },
            onWriteError,
            journal: journal);
    }

    /// <summary>Entries not yet stored.</summary>
    public long Pending => _queue.Pending;

    public void Append(LedgerEntry entry) => _queue.Append(entry);

    public Task FlushAsync(CancellationToken cancellationToken = default) => _queue.FlushAsync(cancellationToken);

    public async Task<IReadOnlyList<LedgerEntry>> RecentAsync(int limit, CancellationToken cancellationToken = default) =>
        (await QueryAsync(new LedgerQuery { Limit = limit }, cancellationToken).ConfigureAwait(false)).Entries;

    public async Task<IReadOnlyList<UsageRow>> SummarizeAsync(UsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var group = GroupColumn(query.GroupBy);

        using var connection = Open();
        using var command = connection.CreateCommand();
        var filter = LedgerFilter.Range(query.From, query.To, query.KeyId, query.MasterOnly);
        Bind(command, filter);

        // Costs are stored as decimal text and summed here in decimal: SQLite's SUM would go through doubles.
        command.CommandText = $"SELECT {group}, status, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, unpriced FROM ledger {filter.Where}";
        var rows = new SortedDictionary<string, UsageRow>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var name = reader.IsDBNull(0) ? null : reader.GetString(0);
            var slot = name ?? "\0";
            rows.TryGetValue(slot, out var row);
            row ??= new UsageRow { Group = name };
            rows[slot] = row with
            {
                Requests = row.Requests + 1,
                FailedRequests = row.FailedRequests + (reader.GetInt32(1) >= 400 ? 1 : 0),
                InputTokens = row.InputTokens + reader.GetInt64(2),
                CacheReadTokens = row.CacheReadTokens + reader.GetInt64(3),
                CacheWriteTokens = row.CacheWriteTokens + reader.GetInt64(4),
                OutputTokens = row.OutputTokens + reader.GetInt64(5),
                ReasoningTokens = row.ReasoningTokens + reader.GetInt64(6),
                Cost = row.Cost + (reader.IsDBNull(7) ? 0m : decimal.Parse(reader.GetString(7), CultureInfo.InvariantCulture)),
                UnpricedRequests = row.UnpricedRequests + (reader.GetInt64(8) != 0 ? 1 : 0),
            };
        }

        return rows.Values.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _queue.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
    }

    private void WriteBatch(IReadOnlyList<LedgerEntry> batch)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        using (var insert = new SqliteLedgerInsert(connection))
        {
            foreach (var e in batch)
            {
                insert.Insert(e);
            }
        }

        tx.Commit();
    }

    /// <summary>
    /// Adds the columns later versions introduced to a ledger table an older version created, so an existing data
    /// directory keeps working: its old rows read back with no list cost and no attempts.
    /// </summary>
    private static void AddMissingColumns(SqliteConnection connection)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('ledger')";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                present.Add(reader.GetString(0));
            }
        }

        foreach (var (name, type) in s_addedColumns)
        {
            if (!present.Contains(name))
            {
                Execute(connection, $"ALTER TABLE ledger ADD COLUMN {name} {type}");
            }
        }
    }

    /// <summary>
    /// Makes the request id unique (what lets a replayed journal skip what is stored). A ledger from before this
    /// keeps the first row of an id it somehow holds twice.
    /// </summary>
    private static void UniqueIds(SqliteConnection connection)
    {
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ledger_id_unique'";
            if (check.ExecuteScalar() is not null)
            {
                return;
            }
        }

        Execute(connection, """
            BEGIN;
            DELETE FROM ledger WHERE seq NOT IN (SELECT MIN(seq) FROM ledger GROUP BY id);
            DROP INDEX IF EXISTS ledger_id;
            CREATE UNIQUE INDEX ledger_id_unique ON ledger(id);
            COMMIT;
            """);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();

        // WAL with synchronous=NORMAL: a commit survives a crash of the process (the case that matters for a
        // gateway) without an fsync per batch; only a power loss can take the last batches.
        Execute(connection, "PRAGMA synchronous=NORMAL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
