using System.Globalization;
using Microsoft.Data.Sqlite;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Tests.Admin;

/// <summary>
/// What the SQLite ledger's writer puts in each column, read with plain SQL: the round-trip time text, decimals as
/// invariant text, attempts as their JSON array, NULL for what an entry does not have, and an id stored twice kept once.
/// </summary>
public sealed class SqliteLedgerStoredTextTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tollgate-ledger-text-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_dir, "tollgate.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Append_EveryColumn_StoresTheTextAndNumbersOfTheEntry()
    {
        var time = new DateTimeOffset(2026, 12, 1, 17, 5, 9, TimeSpan.FromHours(2)).AddTicks(1234567);
        LedgerAttempt[] attempts = [new("groq-free", "llama-3.3-70b", 429, "status", 12.345678901234), new("openai", "gpt-4o-mini", 200, null, 0.5)];
        var full = new LedgerEntry
        {
            Id = "req_full",
            Time = time,
            KeyId = "key_ä1",
            Endpoint = "chat",
            Provider = "openai",
            Model = "openai/modèle-ünïcode-模型",
            Stream = true,
            Status = 200,
            ErrorType = "client_closed",
            LatencyMs = 1.0625,
            TtftMs = 0.25,
            InputTokens = 123_456_789_012,
            CacheReadTokens = 3,
            CacheWriteTokens = 4,
            OutputTokens = 5,
            ReasoningTokens = 6,
            Cost = 0.000012345678901234567m,
            Estimated = true,
            Unpriced = true,
            ListCost = 12345678901234567.5m,
            Attempts = attempts,
            OverReserved = 0.5m,
        };
        var bare = new LedgerEntry { Id = "req_bare", Time = time, Endpoint = "messages", Status = 401 };
        await using (var ledger = new SqliteLedger(DatabasePath))
        {
            ledger.Append(full);
            ledger.Append(bare);
            ledger.Append(full with { Status = 500 });
        }

        var rows = ReadRows();
        Assert.Equal(2, rows.Count);
        Assert.Equal(
            [
                "req_full", time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), "key_ä1", "chat", "openai", "openai/modèle-ünïcode-模型",
                1L, 200L, "client_closed", 1.0625, 0.25, 123_456_789_012L, 3L, 4L, 5L, 6L, "0.000012345678901234567", 1L, 1L,
                "12345678901234567.5", LedgerAttemptJson.Serialize(attempts), "0.5",
            ],
            rows["req_full"]);
        Assert.Equal(
            [
                "req_bare", time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), null, "messages", null, null,
                0L, 401L, null, 0.0, null, 0L, 0L, 0L, 0L, 0L, null, 0L, 0L, null, null, null,
            ],
            rows["req_bare"]);
    }

    private Dictionary<string, object?[]> ReadRows()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, time, key_id, endpoint, provider, model, stream, status, error_type, latency_ms, ttft_ms, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, estimated, unpriced, list_cost, attempts, over_reserved FROM ledger";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add((string)row[0]!, row);
        }

        return rows;
    }
}
