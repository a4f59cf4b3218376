using Npgsql;
using NpgsqlTypes;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Postgres.Ledger;

/// <summary>
/// The SQL of <see cref="PostgresLedger.SummarizeAsync"/>: whole UTC days inside the range are read from
/// <c>usage_daily</c> (a few rows per day), the parts of days at either end from <c>ledger</c> through its time index.
/// </summary>
internal static class UsageSql
{
    public static string Build(UsageQuery query)
    {
        var (rawGroup, dailyGroup) = query.GroupBy switch
        {
            UsageGroup.Key => ("key_id", "nullif(key_id, '')"),
            UsageGroup.Model => ("model", "nullif(model, '')"),
            UsageGroup.Provider => ("provider", "nullif(provider, '')"),
            UsageGroup.Day => ("to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD')", "to_char(day, 'YYYY-MM-DD')"),
            _ => ("NULL::text", "NULL::text"),
        };
        var (rawKey, dailyKey) = query.KeyId is not null ? (" AND key_id = @key", " AND key_id = @key")
            : query.MasterOnly ? (" AND key_id IS NULL", " AND key_id = ''")
            : ("", "");

        var (dayFrom, dayTo) = WholeDays(query);
        var parts = new List<string>();
        if (dayFrom is not null && dayTo is not null && dayFrom >= dayTo)
        {
            // No whole day inside the range: every row comes from the ledger.
            parts.Add(Raw(rawGroup, Range(query.From is null ? null : "@from", query.To is null ? null : "@to") + rawKey));
        }
        else
        {
            var edges = new List<string>();
            if (query.From is not null)
            {
                edges.Add(Range("@from", "@day_from::timestamp AT TIME ZONE 'UTC'"));
            }

            if (query.To is not null)
            {
                edges.Add(Range("@day_to::timestamp AT TIME ZONE 'UTC'", "@to"));
            }

            if (edges.Count > 0)
            {
                parts.Add(Raw(rawGroup, "(" + string.Join(" OR ", edges) + ")" + rawKey));
            }

            var days = new List<string> { "TRUE" };
            if (dayFrom is not null)
            {
                days.Add("day >= @day_from");
            }

            if (dayTo is not null)
            {
                days.Add("day < @day_to");
            }

            parts.Add($"SELECT {dailyGroup} AS g, requests, failed_requests, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, unpriced_requests FROM usage_daily WHERE {string.Join(" AND ", days)}{dailyKey}");
        }

        return $"""
            SELECT g, sum(requests)::bigint, sum(failed_requests)::bigint, sum(input_tokens)::bigint, sum(cache_read_tokens)::bigint,
                   sum(cache_write_tokens)::bigint, sum(output_tokens)::bigint, sum(reasoning_tokens)::bigint, coalesce(sum(cost), 0), sum(unpriced_requests)::bigint
            FROM ({string.Join(" UNION ALL ", parts)}) AS parts
            GROUP BY g ORDER BY g COLLATE "C" NULLS FIRST
            """;
    }

    public static void Bind(NpgsqlCommand command, UsageQuery query)
    {
        var p = command.Parameters;
        if (query.From is { } from)
        {
            p.Add(new NpgsqlParameter<DateTime>("from", NpgsqlDbType.TimestampTz) { TypedValue = from.UtcDateTime });
        }

        if (query.To is { } to)
        {
            p.Add(new NpgsqlParameter<DateTime>("to", NpgsqlDbType.TimestampTz) { TypedValue = to.UtcDateTime });
        }

        var (dayFrom, dayTo) = WholeDays(query);
        if (dayFrom is { } df)
        {
            p.Add(new NpgsqlParameter<DateOnly>("day_from", NpgsqlDbType.Date) { TypedValue = df });
        }

        if (dayTo is { } dt)
        {
            p.Add(new NpgsqlParameter<DateOnly>("day_to", NpgsqlDbType.Date) { TypedValue = dt });
        }

        if (query.KeyId is { } key)
        {
            p.Add(new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = key });
        }
    }

    /// <summary>The first and the end (exclusive) of the whole UTC days in the range; null where the range is open.</summary>
    private static (DateOnly? From, DateOnly? To) WholeDays(UsageQuery query)
    {
        DateOnly? from = null;
        if (query.From is { } f)
        {
            var utc = f.UtcDateTime;
            from = DateOnly.FromDateTime(utc.TimeOfDay == TimeSpan.Zero ? utc : utc.Date.AddDays(1));
        }

        DateOnly? to = query.To is { } t ? DateOnly.FromDateTime(t.UtcDateTime) : null;
        return (from, to);
    }

    private static string Range(string? from, string? to) =>
        (from, to) switch
        {
            (null, null) => "TRUE",
            (null, _) => $"time < {to}",
            (_, null) => $"time >= {from}",
            _ => $"(time >= {from} AND time < {to})",
        };

    private static string Raw(string group, string where) =>
        $"SELECT {group} AS g, 1::bigint AS requests, (status >= 400)::int::bigint AS failed_requests, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, coalesce(cost, 0) AS cost, unpriced::int::bigint AS unpriced_requests FROM ledger WHERE {where}";
}
