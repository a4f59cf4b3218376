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
    public async Task<LedgerPage> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default)
    {
        var filter = LedgerFilter.Page(query);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        using var connection = Open();
        using var command = connection.CreateCommand();
        Bind(command, filter);
        command.CommandText = filter.PageSql;
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await LedgerFilter.ReadPageAsync(reader, query.Limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<UsageBucket>> SeriesAsync(SeriesQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        using var connection = Open();
        RegisterDecimalSum(connection);
        using var command = connection.CreateCommand();
        var filter = LedgerFilter.Range(query.From, query.To, query.KeyId);
        Bind(command, filter);

        // Times are stored as UTC ISO 8601 text, so a prefix is the hour ("2026-11-24T12") or the day.
        var bucket = query.Bucket == SeriesBucket.Hour ? "substr(time, 1, 13)" : "substr(time, 1, 10)";
        var group = GroupColumn(query.GroupBy is UsageGroup.Day ? UsageGroup.None : query.GroupBy);
        command.CommandText = $"""
            SELECT {bucket} AS b, {group} AS g, COUNT(*), SUM(status >= 400), SUM(input_tokens), SUM(cache_read_tokens),
                   SUM(cache_write_tokens), SUM(output_tokens), SUM(reasoning_tokens), decimal_sum(cost), SUM(unpriced)
            FROM ledger {filter.Where}
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
            rows.Add(new UsageBucket(start, LedgerFilter.ReadUsage(reader, 1)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<LatencyRow>> LatencyAsync(UsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        using var connection = Open();
        using var command = connection.CreateCommand();
        var filter = LedgerFilter.Range(query.From, query.To, query.KeyId, query.MasterOnly);
        Bind(command, filter);

        // Nearest-rank percentiles: the value at rank ceil(p * n) among the n successful (or streamed) requests of
        // a group, found with window functions. ok = 1 for successes, so failures rank among themselves and are
        // never picked; the same for streams without a time to first token.
        command.CommandText = $"""
            WITH f AS (
              SELECT {GroupColumn(query.GroupBy)} AS g, status < 400 AS ok, latency_ms, ttft_ms FROM ledger {filter.Where}
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
            rows.Add(LedgerFilter.ReadLatency(reader));
        }

        return rows;
    }

    private static string GroupColumn(UsageGroup group) => group switch
    {
        UsageGroup.Key => "key_id",
        UsageGroup.Model => "model",
        UsageGroup.Provider => "provider",
        UsageGroup.Day => "substr(time, 1, 10)",
        _ => "NULL",
    };

    /// <summary>Binds a filter's parameters; instants as the stored text (fixed-width UTC "O" format, so text order is time order).</summary>
    private static void Bind(SqliteCommand command, LedgerFilter filter)
    {
        foreach (var (name, value) in filter.Parameters)
        {
            command.Parameters.AddWithValue(name, value is DateTimeOffset t ? t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : value);
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
