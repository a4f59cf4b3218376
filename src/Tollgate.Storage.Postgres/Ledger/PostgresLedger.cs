using Npgsql;
using NpgsqlTypes;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Postgres.Ledger;

/// <summary>
/// The ledger in PostgreSQL, shared by every instance. Entries are written off the request path by a
/// <see cref="LedgerQueue"/>: up to 512 per statement (one multi-row insert from arrays), kept and retried while the
/// database is away, and never stored twice (a retried batch skips ids already stored). Usage sums are computed in
/// SQL, from <c>usage_daily</c> for whole days and from the ledger rows for the parts of days at either end.
/// </summary>
public sealed class PostgresLedger : ILedger
{
    private const string Columns = "id, time, key_id, endpoint, provider, model, stream, status, error_type, latency_ms, ttft_ms, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, estimated, unpriced, list_cost, attempts";
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

    public async Task<IReadOnlyList<LedgerEntry>> RecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"SELECT {Columns} FROM ledger ORDER BY seq DESC LIMIT $1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<LedgerEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new LedgerEntry
            {
                Id = reader.GetString(0),
                Time = new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero),
                KeyId = reader.IsDBNull(2) ? null : reader.GetString(2),
                Endpoint = reader.GetString(3),
                Provider = reader.IsDBNull(4) ? null : reader.GetString(4),
                Model = reader.IsDBNull(5) ? null : reader.GetString(5),
                Stream = reader.GetBoolean(6),
                Status = reader.GetInt32(7),
                ErrorType = reader.IsDBNull(8) ? null : reader.GetString(8),
                LatencyMs = reader.GetDouble(9),
                TtftMs = reader.IsDBNull(10) ? null : reader.GetDouble(10),
                InputTokens = reader.GetInt64(11),
                CacheReadTokens = reader.GetInt64(12),
                CacheWriteTokens = reader.GetInt64(13),
                OutputTokens = reader.GetInt64(14),
                ReasoningTokens = reader.GetInt64(15),
                Cost = reader.IsDBNull(16) ? null : reader.GetDecimal(16),
                Estimated = reader.GetBoolean(17),
                Unpriced = reader.GetBoolean(18),
                ListCost = reader.IsDBNull(19) ? null : reader.GetDecimal(19),
                Attempts = LedgerAttemptJson.Parse(reader.IsDBNull(20) ? null : reader.GetString(20)),
            });
        }

        return list;
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
            rows.Add(new UsageRow
            {
                Group = reader.IsDBNull(0) ? null : reader.GetString(0),
                Requests = reader.GetInt64(1),
                FailedRequests = reader.GetInt64(2),
                InputTokens = reader.GetInt64(3),
                CacheReadTokens = reader.GetInt64(4),
                CacheWriteTokens = reader.GetInt64(5),
                OutputTokens = reader.GetInt64(6),
                ReasoningTokens = reader.GetInt64(7),
                Cost = reader.GetDecimal(8),
                UnpricedRequests = reader.GetInt64(9),
            });
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
        }

        // One statement per batch; ON CONFLICT makes a retry after an unanswered commit harmless.
        await using var command = _dataSource.CreateCommand(
            $"INSERT INTO ledger ({Columns}) SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) ON CONFLICT (id) DO NOTHING");
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
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
