using System.Data.Common;
using System.Globalization;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// The one description of which ledger rows a query selects, shared by the SQLite and PostgreSQL ledgers: a WHERE
/// clause over the <c>ledger</c> table's columns (the same names in both) with named <c>@</c> parameters (both
/// drivers take them), and the parameters' values. The one difference between the dialects, how an instant is
/// bound (SQLite keeps UTC ISO 8601 text, PostgreSQL timestamptz), is left to the ledger: time values are given as
/// <see cref="DateTimeOffset"/>. Also the page query of <see cref="ILedger.QueryAsync"/> and the reading of its rows.
/// </summary>
public sealed class LedgerFilter
{
    /// <summary>The columns of an entry, in the order <see cref="ReadEntry"/> reads them (after <c>seq</c>).</summary>
    public const string EntryColumns = "id, time, key_id, endpoint, provider, model, stream, status, error_type, latency_ms, ttft_ms, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, estimated, unpriced, list_cost, attempts, over_reserved";

    private readonly List<string> _conditions = [];
    private readonly List<KeyValuePair<string, object>> _parameters = [];

    private LedgerFilter()
    {
    }

    /// <summary>The clause (<c>WHERE ...</c>), or empty when every row is selected.</summary>
    public string Where => _conditions.Count > 0 ? "WHERE " + string.Join(" AND ", _conditions) : "";

    /// <summary>The parameters the clause names (with their <c>@</c>), each a string, an int, a long or a <see cref="DateTimeOffset"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Parameters => _parameters;

    /// <summary>Rows in <c>[from, to)</c>, of one key (or only the master key's, whose key id is null).</summary>
    public static LedgerFilter Range(DateTimeOffset? from, DateTimeOffset? to, string? keyId, bool masterOnly = false)
    {
        var filter = new LedgerFilter();
        if (from is { } f)
        {
            filter.Add("time >= @from", "@from", f);
        }

        if (to is { } t)
        {
            filter.Add("time < @to", "@to", t);
        }

        if (keyId is not null)
        {
            filter.Add("key_id = @key", "@key", keyId);
        }
        else if (masterOnly)
        {
            filter._conditions.Add("key_id IS NULL");
        }

        return filter;
    }

    /// <summary>The rows of one page of <paramref name="query"/> (before its cursor); the page query is <see cref="PageSql"/>.</summary>
    /// <exception cref="ArgumentException">The cursor is not one a ledger handed out.</exception>
    public static LedgerFilter Page(LedgerQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var filter = Range(query.From, query.To, query.KeyId);
        filter.AddEquals("model", query.Model);
        filter.AddEquals("provider", query.Provider);
        filter.AddEquals("id", query.Id);
        if (query.MinStatus is { } min)
        {
            filter.Add("status >= @min_status", "@min_status", min);
        }

        if (query.MaxStatus is { } max)
        {
            filter.Add("status <= @max_status", "@max_status", max);
        }

        if (query.Cursor is { } cursor)
        {
            // The cursor is the storage order (seq) of the previous page's last entry.
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
            {
                throw new ArgumentException($"'{cursor}' is not a cursor this ledger handed out.", nameof(query));
            }

            filter.Add("seq < @before", "@before", before);
        }

        // One entry more than the page shows whether there is a next page.
        filter._parameters.Add(new("@limit", query.Limit + 1));
        return filter;
    }

    /// <summary>The query of a page: <c>seq</c> then <see cref="EntryColumns"/>, newest first.</summary>
    public string PageSql => $"SELECT seq, {EntryColumns} FROM ledger {Where} ORDER BY seq DESC LIMIT @limit";

    /// <summary>Reads the rows of <see cref="PageSql"/> into a page of at most <paramref name="limit"/> entries.</summary>
    public static async Task<LedgerPage> ReadPageAsync(DbDataReader reader, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<LedgerEntry>(Math.Min(limit, 1000));
        long lastSeq = 0;
        var more = false;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entries.Count == limit)
            {
                more = true;
                break;
            }

            lastSeq = reader.GetInt64(0);
            entries.Add(ReadEntry(reader, 1));
        }

        return new LedgerPage(entries, more ? lastSeq.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>
    /// One entry from the <see cref="EntryColumns"/> starting at <paramref name="first"/>. Both drivers convert the
    /// stored forms: SQLite's text costs and times and 0/1 flags, PostgreSQL's numeric, timestamptz and booleans.
    /// </summary>
    public static LedgerEntry ReadEntry(DbDataReader reader, int first = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var i = first;
        return new LedgerEntry
        {
            Id = reader.GetString(i),
            Time = reader.GetFieldValue<DateTimeOffset>(i + 1).ToUniversalTime(),
            KeyId = NullableString(reader, i + 2),
            Endpoint = reader.GetString(i + 3),
            Provider = NullableString(reader, i + 4),
            Model = NullableString(reader, i + 5),
            Stream = reader.GetBoolean(i + 6),
            Status = reader.GetInt32(i + 7),
            ErrorType = NullableString(reader, i + 8),
            LatencyMs = reader.GetDouble(i + 9),
            TtftMs = reader.IsDBNull(i + 10) ? null : reader.GetDouble(i + 10),
            InputTokens = reader.GetInt64(i + 11),
            CacheReadTokens = reader.GetInt64(i + 12),
            CacheWriteTokens = reader.GetInt64(i + 13),
            OutputTokens = reader.GetInt64(i + 14),
            ReasoningTokens = reader.GetInt64(i + 15),
            Cost = NullableDecimal(reader, i + 16),
            Estimated = reader.GetBoolean(i + 17),
            Unpriced = reader.GetBoolean(i + 18),
            ListCost = NullableDecimal(reader, i + 19),
            Attempts = LedgerAttemptJson.Parse(NullableString(reader, i + 20)),
            OverReserved = NullableDecimal(reader, i + 21),
        };
    }

    /// <summary>
    /// One group's sums from the columns starting at <paramref name="first"/>: group, requests, failed requests, input,
    /// cache-read, cache-write, output and reasoning tokens, cost, unpriced requests (both ledgers' summaries and series).
    /// </summary>
    public static UsageRow ReadUsage(DbDataReader reader, int first = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new UsageRow
        {
            Group = NullableString(reader, first),
            Requests = reader.GetInt64(first + 1),
            FailedRequests = reader.GetInt64(first + 2),
            InputTokens = reader.GetInt64(first + 3),
            CacheReadTokens = reader.GetInt64(first + 4),
            CacheWriteTokens = reader.GetInt64(first + 5),
            OutputTokens = reader.GetInt64(first + 6),
            ReasoningTokens = reader.GetInt64(first + 7),
            Cost = NullableDecimal(reader, first + 8) ?? 0m,
            UnpricedRequests = reader.GetInt64(first + 9),
        };
    }

    /// <summary>One group's latency from the columns group, requests, failed requests, then latency p50, p90, p99 and time to first token p50, p90, p99.</summary>
    public static LatencyRow ReadLatency(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new LatencyRow
        {
            Group = NullableString(reader, 0),
            Requests = reader.GetInt64(1),
            FailedRequests = reader.GetInt64(2),
            LatencyP50Ms = NullableDouble(reader, 3),
            LatencyP90Ms = NullableDouble(reader, 4),
            LatencyP99Ms = NullableDouble(reader, 5),
            TtftP50Ms = NullableDouble(reader, 6),
            TtftP90Ms = NullableDouble(reader, 7),
            TtftP99Ms = NullableDouble(reader, 8),
        };
    }

    private void Add(string condition, string name, object value)
    {
        _conditions.Add(condition);
        _parameters.Add(new(name, value));
    }

    private void AddEquals(string column, string? value)
    {
        if (value is not null)
        {
            Add($"{column} = @{column}", "@" + column, value);
        }
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static double? NullableDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    // SQLite stores costs as decimal text: parsed here exactly, never through a double.
    private static decimal? NullableDecimal(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null
        : reader.GetFieldType(ordinal) == typeof(string) ? decimal.Parse(reader.GetString(ordinal), NumberStyles.Float, CultureInfo.InvariantCulture)
        : reader.GetDecimal(ordinal);
}
