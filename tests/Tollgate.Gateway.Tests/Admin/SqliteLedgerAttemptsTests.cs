using Microsoft.Data.Sqlite;
using Tollgate.Storage.Ledger;

namespace Tollgate.Gateway.Tests.Admin;

/// <summary>The SQLite ledger's list cost, attempts and over-reserved excess: stored and read back exactly, and added to an older ledger table.</summary>
public sealed class SqliteLedgerAttemptsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static readonly LedgerAttempt[] s_attempts =
    [
        new("groq-free", "llama-3.3-70b-versatile", 429, "status", 12.345678901234),
        new("gemini-free", "gemini-2.5-flash", 504, "timeout", 0.1),
        new("openai", "gpt-4o-mini", 200, null, 1234.0625),
    ];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tollgate-ledger-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_dir, "tollgate.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task QueryAsync_FreeTierEntryWithAttempts_ReadsBackListCostAndEveryAttemptInOrder()
    {
        var free = Entry("req_free") with { Cost = 0m, ListCost = 0.000012345678901234567m, Attempts = s_attempts, OverReserved = 0.598765432109876543m };
        var single = Entry("req_single") with { Cost = 0.5m, Attempts = [s_attempts[2]] };
        var refused = Entry("req_refused") with { Status = 401 };
        await using (var ledger = new SqliteLedger(DatabasePath))
        {
            ledger.Append(free);
            ledger.Append(single);
            ledger.Append(refused);
        }

        // Read by a new instance, so the values come from the file, not from memory.
        await using var reopened = new SqliteLedger(DatabasePath);
        var entries = (await reopened.QueryAsync(new LedgerQuery { Limit = 10 })).Entries;

        Assert.Equal(["req_refused", "req_single", "req_free"], entries.Select(e => e.Id));
        Assert.Equal(free with { Attempts = [] }, entries[2] with { Attempts = [] });
        Assert.Equal(s_attempts, entries[2].Attempts);
        Assert.Equal(0.000012345678901234567m, entries[2].ListCost);
        Assert.Equal(0.598765432109876543m, entries[2].OverReserved);
        Assert.Null(entries[1].OverReserved);
        Assert.Equal([s_attempts[2]], entries[1].Attempts);
        Assert.Null(entries[1].ListCost);
        Assert.Equal(refused, entries[0]);
        Assert.Empty(entries[0].Attempts);
    }

    [Fact]
    public async Task Open_LedgerTableOfAnOlderVersion_AddsTheColumnsAndKeepsItsRows()
    {
        Directory.CreateDirectory(_dir);
        using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();

            // The table as the first release created it, with one row.
            command.CommandText = """
                CREATE TABLE ledger (
                  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, time TEXT NOT NULL, key_id TEXT, endpoint TEXT NOT NULL,
                  provider TEXT, model TEXT, stream INTEGER NOT NULL, status INTEGER NOT NULL, error_type TEXT, latency_ms REAL NOT NULL,
                  ttft_ms REAL, input_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL,
                  output_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL, cost TEXT, estimated INTEGER NOT NULL, unpriced INTEGER NOT NULL);
                INSERT INTO ledger (id, time, endpoint, provider, model, stream, status, latency_ms, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost, estimated, unpriced)
                VALUES ('req_old', '2026-11-24T09:00:00.0000000Z', 'chat', 'openai', 'openai/gpt-4o', 0, 200, 5, 10, 0, 0, 20, 0, '0.25', 0, 0);
                """;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        await using (var ledger = new SqliteLedger(DatabasePath))
        {
            ledger.Append(Entry("req_new") with { ListCost = 1.5m, Attempts = s_attempts });
        }

        // Opening again finds the columns present and adds nothing.
        await using var reopened = new SqliteLedger(DatabasePath);
        var entries = (await reopened.QueryAsync(new LedgerQuery { Limit = 10 })).Entries;

        Assert.Equal(["list_cost", "attempts", "over_reserved"], Columns().TakeLast(3));
        Assert.Equal(23, Columns().Count);
        Assert.Equal(["req_new", "req_old"], entries.Select(e => e.Id));
        Assert.Equal((0.25m, (decimal?)null), (entries[1].Cost, entries[1].ListCost));
        Assert.Empty(entries[1].Attempts);
        Assert.Null(entries[1].OverReserved);
        Assert.Equal(1.5m, entries[0].ListCost);
        Assert.Equal(s_attempts, entries[0].Attempts);
    }

    private List<string> Columns()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('ledger')";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static LedgerEntry Entry(string id) => new()
    {
        Id = id,
        Time = T0,
        Endpoint = "chat",
        Provider = "openai",
        Model = "openai/gpt-4o-mini",
        Status = 200,
        LatencyMs = 10.5,
        InputTokens = 10,
        OutputTokens = 5,
    };
}
