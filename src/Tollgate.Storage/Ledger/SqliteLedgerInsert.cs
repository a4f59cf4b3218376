using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// Stores a batch of entries with one statement prepared once per batch and bound by position through SQLite's own
/// API. Microsoft.Data.Sqlite's command binds every parameter by name (a lookup in SQLite per parameter) and
/// allocates a binder per parameter and a reader per row: with 22 columns that was most of the writer's time and
/// about a tenth of the gateway's allocations. Text is bound from UTF-8 written into one reused buffer; the stored
/// values are the same text and numbers the command stored (times in the round-trip format, decimals in invariant
/// text, attempts as their JSON array).
/// </summary>
internal sealed class SqliteLedgerInsert : IDisposable
{
    // OR IGNORE: an entry the journal stores again after a restart is skipped when it is already stored.
    private const string Sql = "INSERT OR IGNORE INTO ledger (id, time, key_id, endpoint, provider, model, stream, status, error_type, latency_ms, ttft_ms, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, estimated, unpriced, list_cost, attempts, over_reserved) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)";

    // As Microsoft.Data.Sqlite's default command timeout and its pause between tries.
    private const long BusyTimeoutMs = 30_000;
    private const int BusyPauseMs = 150;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly ArrayBufferWriter<byte> _attempts = new(256);
    private readonly Utf8JsonWriter _json;
    private byte[] _text = new byte[256];

    public SqliteLedgerInsert(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The ledger's connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, Sql, out _statement));
        _json = new Utf8JsonWriter(_attempts);
    }

    /// <summary>Inserts one entry (skipped when its id is already stored); throws when SQLite refuses it.</summary>
    public void Insert(LedgerEntry e)
    {
        var s = _statement;
        Check(raw.sqlite3_reset(s));
        Text(1, e.Id);
        Formatted(2, e.Time.UtcDateTime, "O");
        Text(3, e.KeyId);
        Text(4, e.Endpoint);
        Text(5, e.Provider);
        Text(6, e.Model);
        Int(7, e.Stream ? 1 : 0);
        Int(8, e.Status);
        Text(9, e.ErrorType);
        Check(raw.sqlite3_bind_double(s, 10, e.LatencyMs));
        Check(e.TtftMs is { } ttft ? raw.sqlite3_bind_double(s, 11, ttft) : raw.sqlite3_bind_null(s, 11));
        Int(12, e.InputTokens);
        Int(13, e.CacheReadTokens);
        Int(14, e.CacheWriteTokens);
        Int(15, e.OutputTokens);
        Int(16, e.ReasoningTokens);
        Decimal(17, e.Cost);
        Int(18, e.Estimated ? 1 : 0);
        Int(19, e.Unpriced ? 1 : 0);
        Decimal(20, e.ListCost);
        Attempts(21, e.Attempts);
        Decimal(22, e.OverReserved);
        var rc = raw.sqlite3_step(s);
        var started = Environment.TickCount64;
        while (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED && Environment.TickCount64 - started < BusyTimeoutMs)
        {
            // Another connection holds the write lock: waited for as Microsoft.Data.Sqlite's commands wait.
            raw.sqlite3_reset(s);
            Thread.Sleep(BusyPauseMs);
            rc = raw.sqlite3_step(s);
        }

        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }
    }

    public void Dispose()
    {
        _statement.Dispose();
        _json.Dispose();
    }

    private void Int(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    private void Text(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_text.Length < max)
        {
            _text = new byte[Math.Max(max, _text.Length * 2)];
        }

        var n = Encoding.UTF8.GetBytes(value, _text);
        Check(raw.sqlite3_bind_text(_statement, index, _text.AsSpan(0, n)));
    }

    private void Formatted<T>(int index, T value, string? format)
        where T : IUtf8SpanFormattable
    {
        int n;
        while (!value.TryFormat(_text, out n, format, CultureInfo.InvariantCulture))
        {
            _text = new byte[_text.Length * 2];
        }

        Check(raw.sqlite3_bind_text(_statement, index, _text.AsSpan(0, n)));
    }

    private void Decimal(int index, decimal? value)
    {
        if (value is { } d)
        {
            Formatted(index, d, null);
        }
        else
        {
            Check(raw.sqlite3_bind_null(_statement, index));
        }
    }

    private void Attempts(int index, IReadOnlyList<LedgerAttempt> attempts)
    {
        if (attempts.Count == 0)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }

        _attempts.ResetWrittenCount();
        _json.Reset(_attempts);
        LedgerAttemptJson.WriteArray(_json, attempts);
        _json.Flush();
        Check(raw.sqlite3_bind_text(_statement, index, _attempts.WrittenSpan));
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", rc);
        }
    }
}
