using Npgsql;
using NpgsqlTypes;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Postgres.Ledger;

/// <summary>
/// The dashboard's charts on PostgreSQL: usage per time bucket and latency percentiles, computed in SQL over the
/// ledger's time index, with the same rows, order and rounding as <see cref="SqliteLedger"/>'s (nearest-rank
/// percentiles are <c>percentile_disc</c>; costs are summed as NUMERIC).
/// </summary>
public sealed partial class PostgresLedger
{
    public async Task<IReadOnlyList<UsageBucket>> SeriesAsync(SeriesQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var filter = LedgerFilter.Range(query.From, query.To, query.KeyId);
        var bucket = query.Bucket == SeriesBucket.Hour ? "hour" : "day";
        var group = GroupColumn(query.GroupBy is UsageGroup.Day ? UsageGroup.None : query.GroupBy);
        // Ordered outside: an output name cannot be used in an ORDER BY expression (COLLATE), and "C" is SQLite's order.
        await using var command = _dataSource.CreateCommand($"""
            SELECT * FROM (
            SELECT date_trunc('{bucket}', time AT TIME ZONE 'UTC') AS b, {group} AS g, count(*), count(*) FILTER (WHERE status >= 400),
                   sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint, sum(cache_write_tokens)::bigint, sum(output_tokens)::bigint,
                   sum(reasoning_tokens)::bigint, coalesce(sum(cost), 0), count(*) FILTER (WHERE unpriced)
            FROM ledger {filter.Where}
            GROUP BY b, g) AS s
            ORDER BY b, g COLLATE "C" NULLS FIRST
            """);
        Bind(command, filter);
        var rows = new List<UsageBucket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var start = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc));
            rows.Add(new UsageBucket(start, LedgerFilter.ReadUsage(reader, 1)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<LatencyRow>> LatencyAsync(UsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var filter = LedgerFilter.Range(query.From, query.To, query.KeyId, query.MasterOnly);

        // percentile_disc(p) is the value at rank ceil(p * n): nearest-rank, over the successful (or streamed) requests.
        const string Ok = "status < 400";
        const string Streamed = "status < 400 AND ttft_ms IS NOT NULL";
        await using var command = _dataSource.CreateCommand($"""
            SELECT * FROM (
            SELECT {GroupColumn(query.GroupBy)} AS g, count(*), count(*) FILTER (WHERE status >= 400),
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE {Ok}),
                   percentile_disc(0.9) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE {Ok}),
                   percentile_disc(0.99) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE {Ok}),
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY ttft_ms) FILTER (WHERE {Streamed}),
                   percentile_disc(0.9) WITHIN GROUP (ORDER BY ttft_ms) FILTER (WHERE {Streamed}),
                   percentile_disc(0.99) WITHIN GROUP (ORDER BY ttft_ms) FILTER (WHERE {Streamed})
            FROM ledger {filter.Where}
            GROUP BY g) AS s
            ORDER BY g COLLATE "C" NULLS FIRST
            """);
        Bind(command, filter);
        var rows = new List<LatencyRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
        UsageGroup.Day => "to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        _ => "NULL::text",
    };

    /// <summary>Binds a filter's parameters: instants as timestamptz, the rest as their own types.</summary>
    private static void Bind(NpgsqlCommand command, LedgerFilter filter)
    {
        foreach (var (name, value) in filter.Parameters)
        {
            command.Parameters.Add(value is DateTimeOffset t
                ? new NpgsqlParameter<DateTime>(name, NpgsqlDbType.TimestampTz) { TypedValue = t.UtcDateTime }
                : new NpgsqlParameter(name, value));
        }
    }
}
