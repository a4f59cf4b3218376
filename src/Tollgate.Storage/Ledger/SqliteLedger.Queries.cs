using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// The dashboard's queries: pages of entries, sums per time bucket and latency percentiles, each computed by SQLite
/// (filters, grouping, window functions) so no query loads the ledger into memory. Costs are stored as decimal text;
/// they are summed by <c>decimal_sum</c>, an aggregate registered on the connection that adds them as .NET decimals
/// inside the query, because SQLite's own SUM would go through doubles.
/// </summary>
public sealed partial class SqliteLedger
{
    private const string EntryColumns = "seq, id, time, key_id, endpoint, provider, model, stream, status, error_type, latency_ms, ttft_ms, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, estimated, unpriced, list_cost, attempts";

    public async Task<LedgerPage> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        using var connection = Open();
        using var command = connection.CreateCommand();
        var where = new List<string>();
        AddRange(command, where, query.From, query.To);
        AddEquals(command, where, "key_id", "$key", query.KeyId);
        AddEquals(command, where, "model", "$model", query.Model);
        AddEquals(command, where, "provider", "$provider", query.Provider);
        AddEquals(command, where, "id", "$id", query.Id);
        if (query.MinStatus is { } min)
        {
            where.Add("status >= $min_status");
            command.Parameters.AddWithValue("$min_status", min);
        }

        if (query.MaxStatus is { } max)
        {
            where.Add("status <= $max_status");
            command.Parameters.AddWithValue("$max_status", max);
        }

        if (query.Cursor is { } cursor)
        {
            // The cursor is the storage order (seq) of the previous page's last entry.
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
            {
                throw new ArgumentException($"'{cursor}' is not a cursor this ledger handed out.", nameof(query));
            }

            where.Add("seq < $before");
            command.Parameters.AddWithValue("$before", before);
        }

        // One entry more than the page shows whether there is a next page.
        command.CommandText = $"SELECT {EntryColumns} FROM ledger {Where(where)} ORDER BY seq DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        var entries = new List<LedgerEntry>(Math.Min(query.Limit, 1000));
        long lastSeq = 0;
        var more = false;
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entries.Count == query.Limit)
            {
                more = true;
                break;
            }

            lastSeq = reader.GetInt64(0);
            entries.Add(ReadEntry(reader));
        }

        return new LedgerPage(entries, more ? lastSeq.ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<IReadOnlyList<UsageBucket>> SeriesAsync(SeriesQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        using var connection = Open();
        RegisterDecimalSum(connection);
        using var command = connection.CreateCommand();
        var where = new List<string>();
        AddRange(command, where, query.From, query.To);
        AddEquals(command, where, "key_id", "$key", query.KeyId);

        // Times are stored as UTC ISO 8601 text, so a prefix is the hour ("2026-11-24T12") or the day.
        var bucket = query.Bucket == SeriesBucket.Hour ? "substr(time, 1, 13)" : "substr(time, 1, 10)";
        var group = GroupColumn(query.GroupBy is UsageGroup.Day ? UsageGroup.None : query.GroupBy);
        command.CommandText = $"""
            SELECT {bucket} AS b, {group} AS g, COUNT(*), SUM(status >= 400), SUM(input_tokens), SUM(cache_read_tokens),
                   SUM(cache_write_tokens), SUM(output_tokens), SUM(reasoning_tokens), decimal_sum(cost), SUM(unpriced)
            FROM ledger {Where(where)}
            GROUP BY b, g ORDER BY b, g
            """;
        var rows = new List<UsageBucket>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var text = reader.GetString(0);
            var start = DateTimeOffset.ParseExact(
                query.Bucket == SeriesBucket.Hour ? text + ":00:00Z" : text + "T00:00:00Z",
                "yyyy-MM-dd'T'HH:mm:ss'Z'",
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal);
            rows.Add(new UsageBucket(start, new UsageRow
            {
                Group = reader.IsDBNull(1) ? null : reader.GetString(1),
                Requests = reader.GetInt64(2),
                FailedRequests = reader.GetInt64(3),
                InputTokens = reader.GetInt64(4),
                CacheReadTokens = reader.GetInt64(5),
                CacheWriteTokens = reader.GetInt64(6),
                OutputTokens = reader.GetInt64(7),
                ReasoningTokens = reader.GetInt64(8),
                Cost = decimal.Parse(reader.GetString(9), CultureInfo.InvariantCulture),
                UnpricedRequests = reader.GetInt64(10),
            }));
        }

        return rows;
    }

    public async Task<IReadOnlyList<LatencyRow>> LatencyAsync(UsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        using var connection = Open();
        using var command = connection.CreateCommand();
        var where = new List<string>();
        AddRange(command, where, query.From, query.To);
        AddEquals(command, where, "key_id", "$key", query.KeyId);
        if (query.KeyId is null && query.MasterOnly)
        {
            where.Add("key_id IS NULL");
        }

        // Nearest-rank percentiles: the value at rank ceil(p * n) among the n successful (or streamed) requests of
        // a group, found with window functions. ok = 1 for successes, so failures rank among themselves and are
        // never picked; the same for streams without a time to first token.
        command.CommandText = $"""
            WITH f AS (
              SELECT {GroupColumn(query.GroupBy)} AS g, status < 400 AS ok, latency_ms, ttft_ms FROM ledger {Where(where)}
            ), r AS (
              SELECT g, ok, latency_ms, ttft_ms,
                     ROW_NUMBER() OVER (PARTITION BY g, ok ORDER BY latency_ms) AS lr,
                     SUM(ok) OVER (PARTITION BY g) AS ln,
                     ROW_NUMBER() OVER (PARTITION BY g, ok AND ttft_ms IS NOT NULL ORDER BY ttft_ms) AS tr,
                     SUM(ok AND ttft_ms IS NOT NULL) OVER (PARTITION BY g) AS tn
              FROM f
            )
            SELECT g, COUNT(*), SUM(NOT ok),
                   MAX(CASE WHEN ok AND lr = (50 * ln + 99) / 100 THEN latency_ms END),
                   MAX(CASE WHEN ok AND lr = (90 * ln + 99) / 100 THEN latency_ms END),
                   MAX(CASE WHEN ok AND lr = (99 * ln + 99) / 100 THEN latency_ms END),
                   MAX(CASE WHEN ok AND ttft_ms IS NOT NULL AND tr = (50 * tn + 99) / 100 THEN ttft_ms END),
                   MAX(CASE WHEN ok AND ttft_ms IS NOT NULL AND tr = (90 * tn + 99) / 100 THEN ttft_ms END),
                   MAX(CASE WHEN ok AND ttft_ms IS NOT NULL AND tr = (99 * tn + 99) / 100 THEN ttft_ms END)
            FROM r GROUP BY g ORDER BY g
            """;
        var rows = new List<LatencyRow>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new LatencyRow
            {
                Group = reader.IsDBNull(0) ? null : reader.GetString(0),
                Requests = reader.GetInt64(1),
                FailedRequests = reader.GetInt64(2),
                LatencyP50Ms = NullableDouble(reader, 3),
                LatencyP90Ms = NullableDouble(reader, 4),
                LatencyP99Ms = NullableDouble(reader, 5),
                TtftP50Ms = NullableDouble(reader, 6),
                TtftP90Ms = NullableDouble(reader, 7),
                TtftP99Ms = NullableDouble(reader, 8),
            });
        }

        return rows;
    }

    private static LedgerEntry ReadEntry(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(1),
        Time = DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture),
        KeyId = reader.IsDBNull(3) ? null : reader.GetString(3),
        Endpoint = reader.GetString(4),
        Provider = reader.IsDBNull(5) ? null : reader.GetString(5),
        Model = reader.IsDBNull(6) ? null : reader.GetString(6),
        Stream = reader.GetInt64(7) != 0,
        Status = reader.GetInt32(8),
        ErrorType = reader.IsDBNull(9) ? null : reader.GetString(9),
        LatencyMs = reader.GetDouble(10),
        TtftMs = NullableDouble(reader, 11),
        InputTokens = reader.GetInt64(12),
        CacheReadTokens = reader.GetInt64(13),
        CacheWriteTokens = reader.GetInt64(14),
        OutputTokens = reader.GetInt64(15),
        ReasoningTokens = reader.GetInt64(16),
        Cost = reader.IsDBNull(17) ? null : decimal.Parse(reader.GetString(17), CultureInfo.InvariantCulture),
        Estimated = reader.GetInt64(18) != 0,
        Unpriced = reader.GetInt64(19) != 0,
        ListCost = reader.IsDBNull(20) ? null : decimal.Parse(reader.GetString(20), CultureInfo.InvariantCulture),
        Attempts = LedgerAttemptJson.Parse(reader.IsDBNull(21) ? null : reader.GetString(21)),
    };

    private static double? NullableDouble(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static string GroupColumn(UsageGroup group) => group switch
    {
        UsageGroup.Key => "key_id",
        UsageGroup.Model => "model",
        UsageGroup.Provider => "provider",
        UsageGroup.Day => "substr(time, 1, 10)",
        _ => "NULL",
    };

    private static string Where(List<string> where) => where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "";

    private static void AddRange(SqliteCommand command, List<string> where, DateTimeOffset? from, DateTimeOffset? to)
    {
        // Stored times are fixed-width UTC text ("O" format), so text order is time order.
        if (from is { } f)
        {
            where.Add("time >= $from");
            command.Parameters.AddWithValue("$from", f.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        if (to is { } t)
        {
            where.Add("time < $to");
            command.Parameters.AddWithValue("$to", t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }
    }

    private static void AddEquals(SqliteCommand command, List<string> where, string column, string parameter, string? value)
    {
        if (value is not null)
        {
            where.Add($"{column} = {parameter}");
            command.Parameters.AddWithValue(parameter, value);
        }
    }

    private static void RegisterDecimalSum(SqliteConnection connection) =>
        connection.CreateAggregate<string?, decimal, string>(
            "decimal_sum",
            0m,
            static (sum, value) => value is null ? sum : sum + decimal.Parse(value, CultureInfo.InvariantCulture),
            static sum => sum.ToString(CultureInfo.InvariantCulture),
            isDeterministic: true);
}
