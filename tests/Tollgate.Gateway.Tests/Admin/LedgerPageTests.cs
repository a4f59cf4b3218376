using System.Globalization;
using Tollgate.Gateway.Tests.SharedState;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Postgres;
using Tollgate.Storage.Postgres.Ledger;

namespace Tollgate.Gateway.Tests.Admin;

/// <summary>
/// The request log's query (<see cref="ILedger.QueryAsync"/>) on both ledgers, SQLite and PostgreSQL (the test server
/// of ./test.sh): every filter and combination selects what the same filter over the entries in memory selects,
/// newest first, and walking the pages by cursor visits each match once; entries read back with every field.
/// </summary>
public sealed class LedgerPageTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tollgate-ledger-page-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task QueryAsync_EveryFilterAndPageSize_SelectsWhatTheFilterSelectsInMemory(string engine)
    {
        await using var store = await OpenAsync(engine);
        var ledger = store.Ledger;
        var entries = new List<LedgerEntry>();
        string?[] keys = [null, "tg-aaaaa", "tg-bbbbb", "public"];
        string[] models = ["openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5", "demo/priced"];
        int[] statuses = [200, 200, 200, 429, 502, 400];
        for (var i = 0; i < 60; i++)
        {
            var model = models[i % models.Length];
            var entry = new LedgerEntry
            {
                Id = "req_" + i.ToString("D3", CultureInfo.InvariantCulture),
                Time = T0.AddMinutes(i * 7).AddTicks(i * 10),
                KeyId = keys[i % keys.Length],
                Endpoint = i % 5 == 0 ? "embeddings" : "chat",
                Provider = model.Split('/')[0],
                Model = model,
                Stream = i % 2 == 0,
                Status = statuses[i % statuses.Length],
                ErrorType = statuses[i % statuses.Length] >= 400 ? "upstream_error" : null,
                LatencyMs = 10.25 + i,
                TtftMs = i % 2 == 0 ? 1.5 + i : null,
                InputTokens = 100 + i,
                CacheReadTokens = i % 3,
                CacheWriteTokens = i % 4,
                OutputTokens = 50 + i,
                ReasoningTokens = i % 5,
                Cost = i % 7 == 0 ? null : 0.000012345678901234567m * (i + 1),
                ListCost = i % 11 == 0 ? 0.5m : null,
                Estimated = i % 6 == 0,
                Unpriced = i % 7 == 0,
                Attempts = i % 3 == 0 ? [] : [new LedgerAttempt("groq", "llama", 429, "status", 1.25), new LedgerAttempt(model.Split('/')[0], "m", 200, null, 2.5 + i)],
            };
            entries.Add(entry);
            ledger.Append(entry);
        }

        LedgerQuery[] queries =
        [
            new(),
            new() { KeyId = "tg-aaaaa" },
            new() { KeyId = "public", Model = "demo/priced" },
            new() { Provider = "anthropic", MinStatus = 400 },
            new() { MinStatus = 400, MaxStatus = 499 },
            new() { From = T0.AddMinutes(70), To = T0.AddMinutes(210).AddTicks(200) },
            new() { From = T0.AddHours(3), KeyId = "tg-bbbbb", MaxStatus = 299 },
            new() { Id = "req_017" },
            new() { Id = "req_999" },
        ];
        foreach (var q in queries)
        {
            var expected = entries.Where(e => Matches(e, q)).Reverse().Select(e => e.Id).ToList();
            foreach (var limit in new[] { 1, 7, 100 })
            {
                var seen = new List<string>();
                string? cursor = null;
                var pages = 0;
                do
                {
                    var page = await ledger.QueryAsync(q with { Limit = limit, Cursor = cursor });
                    Assert.True(page.Entries.Count <= limit);
                    foreach (var e in page.Entries)
                    {
                        var original = entries.Single(x => x.Id == e.Id);
                        Assert.Equal(original with { Attempts = [] }, e with { Attempts = [] });
                        Assert.Equal(original.Attempts, e.Attempts);
                        seen.Add(e.Id);
                    }

                    cursor = page.NextCursor;
                    pages++;
                }
                while (cursor is not null);

                Assert.Equal(expected, seen);
                Assert.Equal(Math.Max(1, (expected.Count + limit - 1) / limit), pages);
            }
        }

        await Assert.ThrowsAsync<ArgumentException>(() => ledger.QueryAsync(new LedgerQuery { Cursor = "not-a-cursor" }));
    }

    private static bool Matches(LedgerEntry e, LedgerQuery q) =>
        (q.From is null || e.Time >= q.From) && (q.To is null || e.Time < q.To)
        && (q.KeyId is null || e.KeyId == q.KeyId) && (q.Model is null || e.Model == q.Model)
        && (q.Provider is null || e.Provider == q.Provider) && (q.Id is null || e.Id == q.Id)
        && (q.MinStatus is null || e.Status >= q.MinStatus) && (q.MaxStatus is null || e.Status <= q.MaxStatus);

    private async Task<Store> OpenAsync(string engine)
    {
        if (engine == "sqlite")
        {
            return new Store(new SqliteLedger(Path.Combine(_dir, "tollgate.db")), null);
        }

        var database = PostgresDatabase.Open(await SharedServers.NewDatabaseAsync());
        await database.MigrateAsync();
        return new Store(new PostgresLedger(database.DataSource), database);
    }

    private sealed record Store(ILedger Ledger, PostgresDatabase? Database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Ledger.DisposeAsync();
            if (Database is not null)
            {
                await Database.DisposeAsync();
            }
        }
    }
}
