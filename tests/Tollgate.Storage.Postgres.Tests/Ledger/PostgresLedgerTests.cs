using Tollgate.Storage.Ledger;
using Tollgate.Storage.Postgres.Ledger;

namespace Tollgate.Storage.Postgres.Tests.Ledger;

public sealed class PostgresLedgerTests
{
    private static readonly DateTimeOffset s_day = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RecentAsync_AfterAppend_ReturnsEveryFieldNewestFirst()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        {
            await using var ledger = new PostgresLedger(db.DataSource);
            var full = new LedgerEntry
            {
                Id = "req_1", Time = s_day.AddHours(1).AddTicks(1230), KeyId = "tg-abcde", Endpoint = "chat", Provider = "openai", Model = "openai/gpt-4o",
                Stream = true, Status = 200, LatencyMs = 12.5, TtftMs = 3.25, InputTokens = 100, CacheReadTokens = 20, CacheWriteTokens = 5,
                OutputTokens = 50, ReasoningTokens = 7, Cost = 0.000012345678901234567m, Estimated = true,
            };
            var bare = new LedgerEntry { Id = "req_2", Time = s_day.AddHours(2), Endpoint = "embeddings", Status = 401, ErrorType = "authentication_error", Unpriced = true };
            ledger.Append(full);
            ledger.Append(bare);

            var recent = await ledger.RecentAsync(10);

            Assert.Equal(["req_2", "req_1"], recent.Select(e => e.Id));
            Assert.Equal(bare, recent[0]);
            Assert.Equal(full, recent[1]);
        }
    }

    [Fact]
    public async Task RecentAsync_FreeTierEntryWithAttempts_ReadsBackListCostAndEveryAttemptInOrder()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        {
            await using var ledger = new PostgresLedger(db.DataSource);
            LedgerAttempt[] attempts =
            [
                new("groq-free", "llama-3.3-70b-versatile", 429, "status", 12.345678901234),
                new("gemini-free", "gemini-2.5-flash", 502, "connect", 0.5),
                new("openai", "gpt-4o-mini", 200, null, 1234.0625),
            ];
            var entry = new LedgerEntry
            {
                Id = "req_free", Time = s_day.AddHours(3), Endpoint = "chat", Provider = "openai", Model = "openai/gpt-4o-mini", Status = 200,
                Cost = 0m, ListCost = 0.000012345678901234567m, Attempts = attempts, OverReserved = 0.598765432109876543m,
            };
            ledger.Append(entry);
            ledger.Append(new LedgerEntry { Id = "req_one", Time = s_day.AddHours(4), Endpoint = "chat", Status = 200, Attempts = [attempts[2]] });

            var recent = await ledger.RecentAsync(10);

            Assert.Equal(entry with { Attempts = [] }, recent[1] with { Attempts = [] });
            Assert.Equal(attempts, recent[1].Attempts);
            Assert.Equal(0.000012345678901234567m, recent[1].ListCost);
            Assert.Equal([attempts[2]], recent[0].Attempts);
            Assert.Null(recent[0].ListCost);
            Assert.Equal(0.598765432109876543m, recent[1].OverReserved);
            Assert.Null(recent[0].OverReserved);
        }
    }

    [Fact]
    public async Task Append_SameIdTwice_IsStoredOnce()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        {
            await using var ledger = new PostgresLedger(db.DataSource);
            var entry = Entry("req_dup", s_day, "k", 0.5m);
            ledger.Append(entry);
            await ledger.FlushAsync();
            ledger.Append(entry);

            var usage = await ledger.SummarizeAsync(new UsageQuery());

            Assert.Equal(1, usage.Single().Requests);
            Assert.Equal(0.5m, usage.Single().Cost);
        }
    }

    [Fact]
    public async Task SummarizeAsync_EveryGroupingAndRange_MatchesSumsOverTheEntries()
    {
        var (test, db) = await TestDatabase.CreateMigratedAsync();
        await using (test)
        await using (db)
        {
            await using var ledger = new PostgresLedger(db.DataSource);
            var random = new Random(7);
            var entries = new List<LedgerEntry>();
            string?[] keys = [null, "k1", "k2", "k3"];
            string?[] models = [null, "openai/gpt-4o", "groq/llama"];
            for (var i = 0; i < 3000; i++)
            {
                var e = new LedgerEntry
                {
                    Id = "req_" + i,
                    Time = s_day.AddMinutes(random.Next(0, 6 * 24 * 60)).AddTicks(random.Next(0, 1_000_000) * 10L),
                    KeyId = keys[random.Next(keys.Length)],
                    Endpoint = "chat",
                    Provider = models[random.Next(models.Length)]?.Split('/')[0],
                    Model = models[random.Next(models.Length)],
                    Status = random.Next(10) == 0 ? 429 : 200,
                    InputTokens = random.Next(0, 5000),
                    CacheReadTokens = random.Next(0, 100),
                    CacheWriteTokens = random.Next(0, 100),
                    OutputTokens = random.Next(0, 2000),
                    ReasoningTokens = random.Next(0, 50),
                    Cost = random.Next(8) == 0 ? null : random.Next(1, 1_000_000) * 0.000000001234567m,
                    Unpriced = random.Next(20) == 0,
                };
                entries.Add(e);
                ledger.Append(e);
            }

            DateTimeOffset?[] bounds = [null, s_day, s_day.AddHours(13).AddMinutes(7), s_day.AddDays(2), s_day.AddDays(3).AddSeconds(1), s_day.AddDays(3).AddHours(2)];
            foreach (var group in Enum.GetValues<UsageGroup>())
            {
                foreach (var from in bounds)
                {
                    foreach (var to in bounds)
                    {
                        foreach (var (key, master) in new[] { (null, false), ("k2", false), ((string?)null, true) })
                        {
                            var query = new UsageQuery { From = from, To = to, GroupBy = group, KeyId = key, MasterOnly = master };
                            Assert.Equal(Expected(entries, query), await ledger.SummarizeAsync(query));
                        }
                    }
                }
            }
        }
    }

    internal static LedgerEntry Entry(string id, DateTimeOffset time, string? key, decimal? cost) =>
        new() { Id = id, Time = time, KeyId = key, Endpoint = "chat", Provider = "demo", Model = "demo/priced", Status = 200, InputTokens = 10, OutputTokens = 5, Cost = cost };

    private static List<UsageRow> Expected(List<LedgerEntry> entries, UsageQuery q) =>
        entries
            .Where(e => (q.From is null || e.Time >= q.From) && (q.To is null || e.Time < q.To))
            .Where(e => q.KeyId is not null ? e.KeyId == q.KeyId : !q.MasterOnly || e.KeyId is null)
            .GroupBy(e => q.GroupBy switch
            {
                UsageGroup.Key => e.KeyId,
                UsageGroup.Model => e.Model,
                UsageGroup.Provider => e.Provider,
                UsageGroup.Day => e.Time.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            })
            .OrderBy(g => g.Key ?? "\0", StringComparer.Ordinal)
            .Select(g => new UsageRow
            {
                Group = g.Key,
                Requests = g.Count(),
                FailedRequests = g.Count(e => e.Status >= 400),
                InputTokens = g.Sum(e => e.InputTokens),
                CacheReadTokens = g.Sum(e => e.CacheReadTokens),
                CacheWriteTokens = g.Sum(e => e.CacheWriteTokens),
                OutputTokens = g.Sum(e => e.OutputTokens),
                ReasoningTokens = g.Sum(e => e.ReasoningTokens),
                Cost = g.Sum(e => e.Cost ?? 0m),
                UnpricedRequests = g.Count(e => e.Unpriced),
            })
            .ToList();
}
