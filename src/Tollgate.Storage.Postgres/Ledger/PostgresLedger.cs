using Npgsql;
using NpgsqlTypes;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Postgres.Ledger;

/// <summary>
/// The ledger in PostgreSQL, shared by every instance. Entries are written off the request path by a
/// <see cref="LedgerQueue"/>: up to 512 per statement (one multi-row insert from arrays), kept and retried while the
/// database is away, and never stored twice (a retried batch skips ids already stored). Usage sums are computed in
/// SQL, from <c>usage_daily</c> for whole days and from the ledger rows for the parts of days at either end; the
/// dashboard's series and latency percentiles too (<c>PostgresLedger.Queries.cs</c>).
/// </summary>
public sealed partial class PostgresLedger : ILedger
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly LedgerQueue _queue;

    /// <param name="dataSource">The database, migrated.</param>
    /// <param name="onWriteError">Told of each failed write attempt (the batch is kept and retried).</param>
    /// <param name="journal">Where entries are written before they are queued: they wait there while the database is away, and what an earlier process left is stored first.</param>
    public PostgresLedger(NpgsqlDataSource dataSource, Action<Exception>? onWriteError = null, LedgerJournal? journal = null)
    {
        _dataSource = dataSource;
        _queue = new LedgerQueue(WriteBatchAsync, onWriteError, journal: journal);
    }

    /// <summary>Entries not yet stored.</summary>
    public long Pending => _queue.Pending;

    public void Append(LedgerEntry entry) => _queue.Append(entry);

    public Task FlushAsync(CancellationToken cancellationToken = default) => _queue.FlushAsync(cancellationToken);

    public async Task<IReadOnlyList<LedgerEntry>> RecentAsync(int limit, CancellationToken cancellationToken = default) =>
        (await QueryAsync(new LedgerQuery { Limit = limit }, cancellationToken).ConfigureAwait(false)).Entries;

    public async Task<LedgerPage> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default)
    {
        var filter = LedgerFilter.Page(query);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(filter.PageSql);
        Bind(command, filter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await LedgerFilter.ReadPageAsync(reader, query.Limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<UsageRow>> SummarizeAsync(UsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand(UsageSql.Build(query));
        UsageSql.Bind(command, query);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<UsageRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(LedgerFilter.ReadUsage(reader));
        }

        return rows;
    }

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    private async Task WriteBatchAsync(IReadOnlyList<LedgerEntry> batch)
    {
        var n = batch.Count;
        var ids = new string[n];
        var times = new DateTime[n];
        var keys = new string?[n];
        var endpoints = new string[n];
        var providers = new string?[n];
        var models = new string?[n];
        var streams = new bool[n];
        var statuses = new int[n];
        var errors = new string?[n];
        var latencies = new double[n];
        var ttfts = new double?[n];
        var input = new long[n];
        var cacheRead = new long[n];
        var cacheWrite = new long[n];
        var output = new long[n];
        var reasoning = new long[n];
        var costs = new decimal?[n];
        var estimated = new bool[n];
        var unpriced = new bool[n];
        var listCosts = new decimal?[n];
        var attempts = new string?[n];
        var overReserved = new decimal?[n];
        for (var i = 0; i < n; i++)
        {
            var e = batch[i];
            ids[i] = e.Id;
            times[i] = e.Time.UtcDateTime;
            keys[i] = e.KeyId;
            endpoints[i] = e.Endpoint;
            providers[i] = e.Provider;
            models[i] = e.Model;
            streams[i] = e.Stream;
            statuses[i] = e.Status;
            errors[i] = e.ErrorType;
            latencies[i] = e.LatencyMs;
            ttfts[i] = e.TtftMs;
            input[i] = e.InputTokens;
            cacheRead[i] = e.CacheReadTokens;
            cacheWrite[i] = e.CacheWriteTokens;
            output[i] = e.OutputTokens;
            reasoning[i] = e.ReasoningTokens;
            costs[i] = e.Cost;
            estimated[i] = e.Estimated;
            unpriced[i] = e.Unpriced;
            listCosts[i] = e.ListCost;
            attempts[i] = LedgerAttemptJson.Serialize(e.Attempts);
            overReserved[i] = e.OverReserved;
        }

        // One statement per batch; ON CONFLICT makes a retry after an unanswered commit harmless.
        await using var command = _dataSource.CreateCommand(
            $"INSERT INTO ledger ({LedgerFilter.EntryColumns}) SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) ON CONFLICT (id) DO NOTHING");
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<DateTime[]> { TypedValue = times, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = endpoints, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = providers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = models, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<bool[]> { TypedValue = streams, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = statuses, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = errors, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<double[]> { TypedValue = latencies, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        p.Add(new NpgsqlParameter<double?[]> { TypedValue = ttfts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = input, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = cacheRead, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = cacheWrite, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = output, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = reasoning, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter<decimal?[]> { TypedValue = costs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        p.Add(new NpgsqlParameter<bool[]> { TypedValue = estimated, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        p.Add(new NpgsqlParameter<bool[]> { TypedValue = unpriced, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        p.Add(new NpgsqlParameter<decimal?[]> { TypedValue = listCosts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = attempts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter<decimal?[]> { TypedValue = overReserved, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
